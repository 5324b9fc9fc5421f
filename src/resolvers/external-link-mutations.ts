/**
 * Link writes, to m3ter or Rev.io. Input is checked before any call; each provider checks its own
 * rules and resolves names (prepareCreate, prepareUpdate). Providers with optimistic locking
 * take the caller's `expectedVersion`, and a newer stored one fails with CONFLICT.
 *
 * Neither vendor takes an idempotency key. Within one call their clients settle an unanswered
 * write by reading (search before re-POST, read back after a PUT, 404 after a retried DELETE).
 * With a `clientMutationId`, the gateway's own records make each write happen once per caller,
 * tenant and id (src/idempotency): a replay reads the link back, and an earlier attempt whose
 * outcome stayed unknown is looked for at the vendor before anything is written again.
 */
import { BadUserInputError, ReplayTargetGoneError, UpstreamNotFoundError } from '../errors.js';
import { onceFor } from '../idempotency/once-for.js';
import { writeOnce } from '../idempotency/write-once.js';
import type { Loaders, LinkRef } from '../loaders/index.js';
import type { GraphQLContext } from '../context.js';
import type { ExternalLink, LinkChanges, NewLink, Provider } from '../models.js';
import type { CreateExternalLinkInput, MutationResolvers, UpdateExternalLinkInput } from '../__generated__/graphql.js';
import { linkGlobalId, linkIdArg } from './ids.js';
import { createLinkOnce, linkRefOf, nonEmpty, readStoredLink, writeRefOf, type LinkWriteRef } from './link-writes.js';

export const externalLinkMutations: Pick<MutationResolvers, 'createExternalLink' | 'updateExternalLink' | 'deleteExternalLink'> = {
  async createExternalLink(_root, { input }, context) {
    const externalLink = await createLink(context, input);
    return { clientMutationId: input.clientMutationId ?? null, externalLink };
  },

  async updateExternalLink(_root, { input }, context) {
    const { loaders, providers, requestId } = context;
    const ref = linkIdArg(input.id);
    const links = providers.links(ref.provider);
    if (links.optimisticLocking && (input.expectedVersion === null || input.expectedVersion === undefined)) {
      throw new BadUserInputError(`expectedVersion is required to update an ${links.vendor} link: pass the version you read`);
    }
    const changes = linkChanges(input);
    const once = onceFor(context, {
      vendor: links.vendor as LinkWriteRef['vendor'],
      tenant: ref.tenant,
      operation: 'updateExternalLink',
      clientMutationId: input.clientMutationId,
      // Names resolve case-insensitively in both providers, so they are compared that way.
      input: { link: linkInput(ref), ...changes, externalSystem: changes.externalSystem?.toLowerCase() },
    });
    const current = async (fresh: boolean): Promise<ExternalLink> => {
      const link = await (fresh ? loaders.linkById.clear(ref) : loaders.linkById).load(ref);
      if (link === null) throw new UpstreamNotFoundError({ vendor: links.vendor, operation: 'updateExternalLink', retryable: false });
      return link;
    };
    const externalLink = await writeOnce<ExternalLink>({
      once,
      // After an unknown outcome: the link as stored now either holds the update or not.
      async reconcile() {
        const stored = await current(true);
        return (await links.prepareUpdate(stored, changes, { requestId })).landed(stored) ? writeRefOf(links, ref) : undefined;
      },
      async write() {
        const update = await links.prepareUpdate(await current(false), changes, { requestId });
        const answer = await update.write({ requestId });
        return answer === undefined ? { ref: writeRefOf(links, ref) } : { ref: writeRefOf(links, ref), answer };
      },
      readBack: (written) => readLink(loaders, ref.provider, written as LinkWriteRef),
    });
    loaders.linkById.clear(ref).prime(ref, externalLink);
    return { clientMutationId: input.clientMutationId ?? null, externalLink };
  },

  async deleteExternalLink(_root, { input }, context) {
    const { loaders, providers, requestId } = context;
    const ref = linkIdArg(input.id);
    const links = providers.links(ref.provider);
    const once = onceFor(context, { vendor: links.vendor as LinkWriteRef['vendor'], tenant: ref.tenant, operation: 'deleteExternalLink', clientMutationId: input.clientMutationId, input: { link: linkInput(ref) } });
    const deleted: LinkWriteRef = { ...writeRefOf(links, ref), deleted: true };
    await writeOnce<null>({
      once,
      // Gone already: the earlier attempt whose answer was lost deleted it.
      reconcile: async () => ((await links.isGone(ref.nativeId, { requestId })) ? deleted : undefined),
      async write() {
        await links.delete(ref.nativeId, { requestId });
        return { ref: deleted, answer: null };
      },
      // The answer to a delete is the deleted id; nothing to read back.
      readBack: async () => null,
    });
    loaders.linkById.clear(ref);
    return { clientMutationId: input.clientMutationId ?? null, deletedId: input.id };
  },
};

async function createLink(context: GraphQLContext, input: CreateExternalLinkInput): Promise<ExternalLink> {
  const { providers, requestId } = context;
  const link: NewLink = {
    internalType: nonEmpty(input.internalType, 'internalType'),
    internalId: nonEmpty(input.internalId, 'internalId'),
    externalSystem: nonEmpty(input.externalSystem, 'externalSystem'),
    externalId: nonEmpty(input.externalId, 'externalId'),
    ...(input.externalTable === null || input.externalTable === undefined ? {} : { externalTable: input.externalTable }),
    ...(input.integrationConfigId ? { integrationConfigId: input.integrationConfigId } : {}),
  };
  const links = providers.links(input.provider);
  const create = await links.prepareCreate(link, { requestId });
  const created = await createLinkOnce(context, { links, create, operation: 'createExternalLink', clientMutationId: input.clientMutationId, input: create.fingerprint });
  if (created === null) throw new ReplayTargetGoneError('The external link that this clientMutationId wrote no longer exists (deleted since); it is not made again');
  return created;
}

function linkChanges(input: UpdateExternalLinkInput): LinkChanges {
  const changes: LinkChanges = {};
  for (const field of ['internalType', 'internalId', 'externalSystem', 'externalTable', 'externalId'] as const) {
    const value = input[field];
    if (value !== null && value !== undefined) changes[field] = value;
  }
  if (input.expectedVersion !== null && input.expectedVersion !== undefined) changes.expectedVersion = input.expectedVersion;
  return changes;
}

/** The link as stored now; a replay of a write whose link was deleted since says so. */
async function readLink(loaders: Loaders, provider: Provider, written: LinkWriteRef): Promise<ExternalLink> {
  const link = await readStoredLink(loaders, provider, written);
  if (link === null) {
    throw new ReplayTargetGoneError(`External link ${linkGlobalId(linkRefOf(provider, written))} that this clientMutationId wrote no longer exists (deleted since); it is not made again`);
  }
  return link;
}

/** A link id's parts, normalised: the fingerprint's form of "which link". */
function linkInput(ref: LinkRef) {
  return { provider: ref.provider, tenant: ref.tenant.toLowerCase(), nativeId: ref.nativeId.toLowerCase() };
}
