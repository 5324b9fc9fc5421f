/**
 * Zuora connection writes. Each acts as the entity the contract requires (the source to
 * initiate, the target to accept or deny, either end to disconnect), which must be in the
 * request's Zuora tenant.
 *
 * With a `clientMutationId`, each runs once per caller, acting entity and id (src/idempotency):
 * a replay answers the connection as Zuora lists it now, and the same id with other input is
 * refused before any call. The initiating POST also carries Zuora's own `Idempotency-Key` (the
 * vendor-side guarantee, e.g. after a restart lost the gateway's record), and what it answers is
 * read back and checked against the input.
 */
import { IdempotencyKeyReusedError, ReplayTargetGoneError } from '../errors.js';
import type { WriteRef } from '../idempotency/idempotency-store.js';
import { onceFor } from '../idempotency/once-for.js';
import { writeOnce } from '../idempotency/write-once.js';
import type { Loaders } from '../loaders/index.js';
import type { ConnectionInContext, ConnectionStatus } from '../models.js';
import type { ConnectionTransition as Transition } from '../upstreams/index.js';
import type { GraphQLContext } from '../context.js';
import type { ConnectionTransitionInput, MutationResolvers } from '../__generated__/graphql.js';
import { connectionIdArg, entityIdArg } from './ids.js';

type ConnectionRef = Extract<WriteRef, { vendor: 'zuora' }>;

/** Where each transition leads: a connection already there after an unknown outcome means the PUT landed. */
const TARGET_STATUS: Record<Transition, ConnectionStatus> = {
  acceptConnection: 'CONNECTED',
  denyConnection: 'DISCONNECTED',
  disconnectConnection: 'DISCONNECTED',
};

export const connectionMutations: Pick<MutationResolvers, 'initiateConnection' | Transition> = {
  async initiateConnection(_root, { input }, context) {
    const { loaders, providers, requestId, caller } = context;
    const source = entityIdArg(input.sourceEntityId, 'sourceEntityId');
    const target = entityIdArg(input.targetEntityId, 'targetEntityId');
    const clientMutationId = input.clientMutationId ?? undefined;
    const once = onceFor(context, { vendor: 'zuora', tenant: source, operation: 'initiateConnection', clientMutationId, input: { sourceEntityId: source, targetEntityId: target } });
    const connection = await writeOnce<ConnectionInContext>({
      once,
      // Zuora's own replay settles an unknown outcome: the same Idempotency-Key answers the first result.
      reconcile: async () => undefined,
      async write() {
        const created = await providers.zuoraFor(source).initiateConnection(
          { sourceEntityId: source, targetEntityId: target, ...(clientMutationId === undefined ? {} : { clientMutationId, ...(caller ? { callerKeyId: caller.keyId } : {}) }) },
          { requestId },
        );
        const ref: ConnectionRef = { vendor: 'zuora', connectionId: created.id, listedBy: source, viewpointEntityId: null };
        // A fresh random key can only replay its own call, and a new connection starts pending.
        if (once === undefined) return { ref, answer: { id: ref.connectionId, status: 'PENDING', sourceEntityId: source, targetEntityId: target, viewpointEntityId: null } };
        // With a caller's key, Zuora may replay what another input got (our record lost in a restart): check.
        const stored = await readConnection(loaders, ref, 'initiateConnection');
        if (stored.sourceEntityId !== source || stored.targetEntityId !== target) {
          throw new IdempotencyKeyReusedError('This clientMutationId already opened a connection between other entities; send a new clientMutationId for a new change');
        }
        return { ref, answer: stored };
      },
      readBack: (ref) => readConnection(loaders, ref as ConnectionRef, 'initiateConnection'),
    });
    return { clientMutationId: input.clientMutationId ?? null, connection };
  },
  acceptConnection: (_root, { input }, context) => transition('acceptConnection', input, context),
  denyConnection: (_root, { input }, context) => transition('denyConnection', input, context),
  disconnectConnection: (_root, { input }, context) => transition('disconnectConnection', input, context),
};

async function transition(kind: Transition, input: ConnectionTransitionInput, context: GraphQLContext) {
  const { loaders, providers, requestId } = context;
  const { connectionId } = connectionIdArg(input.connectionId);
  const acting = entityIdArg(input.actingEntityId, 'actingEntityId');
  // Zuora answers `{ success }` only: the connection is read again (one list, as the acting entity).
  const ref: ConnectionRef = { vendor: 'zuora', connectionId, listedBy: acting, viewpointEntityId: acting };
  const once = onceFor(context, { vendor: 'zuora', tenant: acting, operation: kind, clientMutationId: input.clientMutationId, input: { connectionId, actingEntityId: acting } });
  const connection = await writeOnce<ConnectionInContext>({
    once,
    async reconcile() {
      const listed = await loaders.connectionsOf.clear(acting).load(acting);
      return listed.find((c) => c.id.toLowerCase() === connectionId)?.status === TARGET_STATUS[kind] ? ref : undefined;
    },
    async write() {
      await providers.zuoraFor(acting).transitionConnection(kind, { actingEntityId: acting, connectionId }, { requestId });
      return { ref };
    },
    readBack: (written) => readConnection(loaders, written as ConnectionRef, kind),
  });
  return { clientMutationId: input.clientMutationId ?? null, connection };
}

/** The connection as Zuora lists it now, to the entity that listed it. */
async function readConnection(loaders: Loaders, ref: ConnectionRef, operation: string): Promise<ConnectionInContext> {
  const listed = await loaders.connectionsOf.clear(ref.listedBy).load(ref.listedBy);
  const found = listed.find((c) => c.id.toLowerCase() === ref.connectionId);
  if (found === undefined) throw new ReplayTargetGoneError(`${operation}: Zuora no longer lists connection ${ref.connectionId} for entity ${ref.listedBy}`);
  return { ...found, viewpointEntityId: ref.viewpointEntityId };
}
