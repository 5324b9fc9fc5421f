/**
 * Zuora connection writes. Each acts as the entity the contract requires (the source to
 * initiate, the target to accept or deny, either end to disconnect), which must be in the
 * request's Zuora tenant. `clientMutationId` is echoed and, on the initiating POST, becomes
 * Zuora's `Idempotency-Key`, so a caller's retry cannot open a second connection.
 */
import { UpstreamContractError, UpstreamNotFoundError } from '../errors.js';
import type { ConnectionInContext } from '../models.js';
import type { GraphQLContext } from '../context.js';
import type { ConnectionTransitionInput, MutationResolvers } from '../__generated__/graphql.js';
import { connectionIdArg, entityIdArg } from './ids.js';

type Transition = 'acceptConnection' | 'denyConnection' | 'disconnectConnection';

export const connectionMutations: Pick<MutationResolvers, 'initiateConnection' | Transition> = {
  async initiateConnection(_root, { input }, { loaders, requestId }) {
    const source = entityIdArg(input.sourceEntityId, 'sourceEntityId');
    const target = entityIdArg(input.targetEntityId, 'targetEntityId');
    const clientMutationId = input.clientMutationId ?? undefined;
    const created = await loaders.clients.zuoraFor(source).initiateConnection({
      entityId: source,
      targetEntityId: target,
      requestId,
      ...(clientMutationId === undefined ? {} : { clientMutationId }),
    });
    if (typeof created.id !== 'string' || created.id === '') {
      throw new UpstreamContractError({ vendor: 'zuora', operation: 'initiateConnection', retryable: false, vendorCode: 'MISSING_ID' });
    }
    // A new connection starts Pending (CONTRACTS §1.4); Zuora answers only its id.
    const connection: ConnectionInContext = { id: created.id.toLowerCase(), status: 'PENDING', sourceEntityId: source, targetEntityId: target, viewpointEntityId: null };
    return { clientMutationId: input.clientMutationId ?? null, connection };
  },
  acceptConnection: (_root, { input }, context) => transition('acceptConnection', input, context),
  denyConnection: (_root, { input }, context) => transition('denyConnection', input, context),
  disconnectConnection: (_root, { input }, context) => transition('disconnectConnection', input, context),
};

async function transition(kind: Transition, input: ConnectionTransitionInput, { loaders, requestId }: GraphQLContext) {
  const { connectionId } = connectionIdArg(input.connectionId);
  const acting = entityIdArg(input.actingEntityId, 'actingEntityId');
  await loaders.clients.zuoraFor(acting)[kind]({ entityId: acting, connectionId, requestId });
  // Zuora answers `{ success }` only: read the connection again (one list, as the acting entity).
  const connections = await loaders.connectionsOf.clear(acting).load(acting);
  const found = connections.find((c) => c.id.toLowerCase() === connectionId);
  if (found === undefined) throw new UpstreamNotFoundError({ vendor: 'zuora', operation: kind, retryable: false });
  return { clientMutationId: input.clientMutationId ?? null, connection: { ...found, viewpointEntityId: acting } };
}
