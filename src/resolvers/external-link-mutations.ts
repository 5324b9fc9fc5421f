/**
 * Link writes, to m3ter or Rev.io. Input is checked before any call (provider-specific required
 * fields, Rev.io names resolved to ids through the catalog). m3ter updates are optimistic: the
 * caller's `expectedVersion` is sent as the version, and a newer stored one fails with CONFLICT.
 *
 * Neither vendor takes an idempotency key. Within one call their clients settle an unanswered
 * write by reading (search before re-POST, read back after a PUT, 404 after a retried DELETE).
 * With a `clientMutationId`, the gateway's own records make each write happen once per caller,
 * tenant and id (src/idempotency): a replay reads the link back, and an earlier attempt whose
 * outcome stayed unknown is looked for at the vendor before anything is written again.
 */
import { BadUserInputError, ReplayTargetGoneError, UpstreamNotFoundError } from '../errors.js';
import type { WriteRef } from '../idempotency/idempotency-store.js';
import { onceFor } from '../idempotency/once-for.js';
import { writeOnce } from '../idempotency/write-once.js';
import type { Loaders, LinkRef } from '../loaders/index.js';
import type { GraphQLContext } from '../context.js';
import type { ExternalLink } from '../models.js';
import { m3terReconcile } from '../upstreams/m3ter/m3ter-reconcile.js';
import type { M3terMappingCreate } from '../upstreams/m3ter/m3ter-types.js';
import { externalLinkFromMapping } from '../upstreams/m3ter/mapper.js';
import type { KeyLinkWrite, RevioCatalog } from '../upstreams/revio/client.js';
import { revioReconcile } from '../upstreams/revio/revio-reconcile.js';
import { toKeyLinkWrite } from '../upstreams/revio/mapper.js';
import type { CreateExternalLinkInput, MutationResolvers, UpdateExternalLinkInput } from '../__generated__/graphql.js';
import { linkGlobalId, linkIdArg } from './ids.js';

type LinkWriteRef = Extract<WriteRef, { vendor: 'm3ter' | 'revio' }>;

export const externalLinkMutations: Pick<MutationResolvers, 'createExternalLink' | 'updateExternalLink' | 'deleteExternalLink'> = {
  async createExternalLink(_root, { input }, context) {
    for (const field of ['internalType', 'internalId', 'externalSystem', 'externalId'] as const) nonEmpty(input[field], field);
    const externalLink = input.provider === 'M3TER' ? await createMapping(context, input) : await createKeyLink(context, input);
    return { clientMutationId: input.clientMutationId ?? null, externalLink };
  },

  async updateExternalLink(_root, { input }, context) {
    const { loaders } = context;
    const ref = linkIdArg(input.id);
    if (ref.provider === 'M3TER' && (input.expectedVersion === null || input.expectedVersion === undefined)) {
      throw new BadUserInputError('expectedVersion is required to update an m3ter link: pass the version you read');
    }
    const fields = {
      internalType: input.internalType ?? undefined,
      internalId: input.internalId ?? undefined,
      // Resolved case-insensitively by both providers, so compared that way.
      externalSystem: input.externalSystem?.toLowerCase() ?? undefined,
      externalTable: input.externalTable ?? undefined,
      externalId: input.externalId ?? undefined,
    };
    const once = onceFor(context, {
      vendor: vendorOf(ref),
      tenant: ref.tenant,
      operation: 'updateExternalLink',
      clientMutationId: input.clientMutationId,
      input: { link: linkInput(ref), expectedVersion: input.expectedVersion ?? undefined, ...fields },
    });
    const externalLink = await writeOnce<ExternalLink>({
      once,
      reconcile: () => (ref.provider === 'M3TER' ? mappingUpdateLanded(context, ref, input) : keyLinkReplaced(context, ref, input)),
      async write() {
        const current = await loaders.linkById.load(ref);
        if (current === null) throw notFound(ref, 'updateExternalLink');
        return ref.provider === 'M3TER' ? { ref: writeRefOf(ref), answer: await updateMapping(context, current, input) } : { ref: await replaceKeyLink(context, ref, current, input) };
      },
      readBack: (written) => readLink(loaders, written as LinkWriteRef),
    });
    loaders.linkById.clear(ref).prime(ref, externalLink);
    return { clientMutationId: input.clientMutationId ?? null, externalLink };
  },

  async deleteExternalLink(_root, { input }, context) {
    const { loaders, requestId } = context;
    const ref = linkIdArg(input.id);
    const once = onceFor(context, { vendor: vendorOf(ref), tenant: ref.tenant, operation: 'deleteExternalLink', clientMutationId: input.clientMutationId, input: { link: linkInput(ref) } });
    const deleted: LinkWriteRef = { ...writeRefOf(ref), deleted: true };
    await writeOnce<null>({
      once,
      // Gone already: the earlier attempt whose answer was lost deleted it.
      async reconcile() {
        const gone = ref.provider === 'M3TER'
          ? await m3terReconcile.deleted(loaders.clients.m3ter, ref.nativeId, requestId)
          : await revioReconcile.deleted(loaders.clients.revio, Number(ref.nativeId), requestId);
        return gone ? deleted : undefined;
      },
      async write() {
        if (ref.provider === 'M3TER') await loaders.clients.m3ter.deleteMapping({ id: ref.nativeId, requestId });
        else await loaders.clients.revio.deleteKeyLink({ id: Number(ref.nativeId), requestId });
        return { ref: deleted, answer: null };
      },
      // The answer to a delete is the deleted id; nothing to read back.
      readBack: async () => null,
    });
    loaders.linkById.clear(ref);
    return { clientMutationId: input.clientMutationId ?? null, deletedId: input.id };
  },
};

async function createMapping(context: GraphQLContext, input: CreateExternalLinkInput): Promise<ExternalLink> {
  const { loaders, requestId } = context;
  const externalTable = nonEmpty(input.externalTable, 'externalTable', ' for provider M3TER (the external record type, e.g. Account)');
  const { m3ter } = loaders.clients;
  const mapping: M3terMappingCreate = {
    m3terEntity: input.internalType,
    m3terId: input.internalId,
    // m3ter's own spelling (`Salesforce`), so the new mapping is found by its exact filters.
    externalSystem: await loaders.m3terSystemName(input.externalSystem),
    externalTable,
    externalId: input.externalId,
    ...(input.integrationConfigId ? { integrationConfigId: input.integrationConfigId } : {}),
  };
  const once = onceFor(context, { vendor: 'm3ter', tenant: m3ter.orgId, operation: 'createExternalLink', clientMutationId: input.clientMutationId, input: { provider: 'M3TER', ...mapping } });
  return writeOnce<ExternalLink>({
    once,
    async reconcile() {
      const found = await m3terReconcile.created(m3ter, mapping, requestId);
      return found === undefined ? undefined : { vendor: 'm3ter', orgId: m3ter.orgId, mappingId: found.id };
    },
    async write() {
      // m3ter answers with the mapping as stored.
      const created = await m3ter.createMapping({ requestId, mapping });
      return { ref: { vendor: 'm3ter', orgId: m3ter.orgId, mappingId: created.id }, answer: externalLinkFromMapping(created, m3ter.orgId) };
    },
    readBack: (ref) => readLink(loaders, ref as LinkWriteRef),
  });
}

async function createKeyLink(context: GraphQLContext, input: CreateExternalLinkInput): Promise<ExternalLink> {
  const { loaders, requestId } = context;
  const catalog = await loaders.revioCatalog.get();
  const write = toKeyLinkWrite({
    systemId: systemIdOf(catalog, input.externalSystem),
    entityTypeId: entityTypeIdOf(catalog, input.internalType),
    internalId: input.internalId,
    externalId: input.externalId,
  });
  const { revio } = loaders.clients;
  const refOf = (id: number): LinkWriteRef => ({ vendor: 'revio', clientCode: revio.clientCode, keyLinkId: String(id) });
  const once = onceFor(context, { vendor: 'revio', tenant: revio.clientCode, operation: 'createExternalLink', clientMutationId: input.clientMutationId, input: { provider: 'REVIO', ...write } });
  return writeOnce<ExternalLink>({
    once,
    async reconcile() {
      const id = await revioReconcile.created(revio, write, requestId);
      return id === undefined ? undefined : refOf(id);
    },
    // Rev.io answers the new id only; the record (with its audit fields) is read back.
    write: async () => ({ ref: refOf((await revio.createKeyLink({ link: write, requestId })).id) }),
    readBack: (ref) => readLink(loaders, ref as LinkWriteRef),
  });
}

async function updateMapping({ loaders, requestId }: GraphQLContext, current: ExternalLink, input: UpdateExternalLinkInput): Promise<ExternalLink> {
  const { m3ter } = loaders.clients;
  const mapping = await m3ter.updateMapping({
    id: current.nativeId,
    requestId,
    mapping: {
      m3terEntity: input.internalType ?? current.internal.type ?? '',
      m3terId: input.internalId ?? current.internal.id,
      externalSystem: input.externalSystem ? await loaders.m3terSystemName(input.externalSystem) : current.external.system,
      externalTable: input.externalTable ?? current.external.type ?? '',
      externalId: input.externalId ?? current.external.id,
      ...(current.integrationConfigId === null ? {} : { integrationConfigId: current.integrationConfigId }),
      // The version the caller read, not the one we just read: a write in between is a CONFLICT.
      version: input.expectedVersion!,
    },
  });
  return externalLinkFromMapping(mapping, m3ter.orgId);
}

/** After an unknown outcome: the mapping one version past `expectedVersion`, holding the given fields, is our PUT. */
async function mappingUpdateLanded({ loaders, requestId }: GraphQLContext, ref: LinkRef, input: UpdateExternalLinkInput): Promise<LinkWriteRef | undefined> {
  const { m3ter } = loaders.clients;
  let mapping;
  try {
    mapping = await m3ter.getMapping({ id: ref.nativeId, requestId });
  } catch (error) {
    if (error instanceof UpstreamNotFoundError) throw notFound(ref, 'updateExternalLink');
    throw error;
  }
  const fields = {
    m3terEntity: input.internalType ?? undefined,
    m3terId: input.internalId ?? undefined,
    externalSystem: input.externalSystem ? await loaders.m3terSystemName(input.externalSystem) : undefined,
    externalTable: input.externalTable ?? undefined,
    externalId: input.externalId ?? undefined,
  };
  return m3terReconcile.updateLanded(mapping, input.expectedVersion!, fields) ? writeRefOf(ref) : undefined;
}

async function replaceKeyLink({ loaders, requestId }: GraphQLContext, ref: LinkRef, current: ExternalLink, input: UpdateExternalLinkInput): Promise<LinkWriteRef> {
  const write = await keyLinkWriteFor(loaders, current, input);
  await loaders.clients.revio.replaceKeyLink({ id: Number(ref.nativeId), link: write, requestId });
  return writeRefOf(ref);
}

/** After an unknown outcome: a full replace is done when the link already holds every field it would write. */
async function keyLinkReplaced({ loaders, requestId }: GraphQLContext, ref: LinkRef, input: UpdateExternalLinkInput): Promise<LinkWriteRef | undefined> {
  const current = await loaders.linkById.clear(ref).load(ref);
  if (current === null) throw notFound(ref, 'updateExternalLink');
  const record = await loaders.clients.revio.getKeyLink({ id: Number(ref.nativeId), requestId });
  if (record === undefined) throw notFound(ref, 'updateExternalLink');
  return revioReconcile.replaced(record, await keyLinkWriteFor(loaders, current, input)) ? writeRefOf(ref) : undefined;
}

async function keyLinkWriteFor(loaders: Loaders, current: ExternalLink, input: UpdateExternalLinkInput): Promise<KeyLinkWrite> {
  const catalog = await loaders.revioCatalog.get();
  return toKeyLinkWrite({
    systemId: input.externalSystem ? systemIdOf(catalog, input.externalSystem) : current.systemId!,
    entityTypeId: input.internalType ? entityTypeIdOf(catalog, input.internalType) : current.entityTypeId!,
    internalId: input.internalId ?? current.internal.id,
    externalId: input.externalId ?? current.external.id,
  });
}

/** The link as stored now; a replay of a write whose link was deleted since says so. */
async function readLink(loaders: Loaders, written: LinkWriteRef): Promise<ExternalLink> {
  const ref: LinkRef =
    written.vendor === 'm3ter' ? { provider: 'M3TER', tenant: written.orgId, nativeId: written.mappingId } : { provider: 'REVIO', tenant: written.clientCode, nativeId: written.keyLinkId };
  const link = await loaders.linkById.clear(ref).load(ref);
  if (link === null) {
    const id = linkGlobalId({ provider: ref.provider, tenant: ref.tenant, nativeId: ref.nativeId } as ExternalLink);
    throw new ReplayTargetGoneError(`External link ${id} that this clientMutationId wrote no longer exists (deleted since); it is not made again`);
  }
  return link;
}

function writeRefOf(ref: LinkRef): LinkWriteRef {
  return ref.provider === 'M3TER' ? { vendor: 'm3ter', orgId: ref.tenant, mappingId: ref.nativeId } : { vendor: 'revio', clientCode: ref.tenant, keyLinkId: ref.nativeId };
}

function vendorOf(ref: LinkRef): 'm3ter' | 'revio' {
  return ref.provider === 'M3TER' ? 'm3ter' : 'revio';
}

/** A link id's parts, normalised: the fingerprint's form of "which link". */
function linkInput(ref: LinkRef) {
  return { provider: ref.provider, tenant: ref.tenant.toLowerCase(), nativeId: ref.nativeId.toLowerCase() };
}

function systemIdOf(catalog: RevioCatalog, name: string): number {
  const id = catalog.systemId(name);
  if (id === undefined) throw new BadUserInputError(`externalSystem must name a Rev.io integration system (${catalog.systems.map((s) => s.name).join(', ')}), got "${name.slice(0, 40)}"`);
  return id;
}

function entityTypeIdOf(catalog: RevioCatalog, name: string): number {
  const id = catalog.entityTypeId(name);
  if (id === undefined) throw new BadUserInputError(`internalType must name a Rev.io entity type (${catalog.entityTypes.map((t) => t.name).join(', ')}), got "${name.slice(0, 40)}"`);
  return id;
}

function nonEmpty(value: string | null | undefined, field: string, why = ''): string {
  if (value === null || value === undefined || value.trim() === '') throw new BadUserInputError(`${field} is required${why}, got ${value === '' ? 'an empty string' : 'nothing'}`);
  return value;
}

function notFound(ref: LinkRef, operation: string): UpstreamNotFoundError {
  return new UpstreamNotFoundError({ vendor: vendorOf(ref), operation, retryable: false });
}
