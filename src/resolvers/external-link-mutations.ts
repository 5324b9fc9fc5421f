/**
 * Link writes, to m3ter or Rev.io. Input is checked before any call (provider-specific required
 * fields, Rev.io names resolved to ids through the catalog). Neither vendor takes an idempotency
 * key: their clients search for the record an unanswered POST may have made before posting
 * again, and `clientMutationId` is echoed. m3ter updates are optimistic: the caller's
 * `expectedVersion` is sent as the version, and a newer stored one fails with CONFLICT.
 */
import { BadUserInputError, UpstreamNotFoundError } from '../errors.js';
import { checkLinkTenant, type Loaders, type LinkRef } from '../loaders/index.js';
import type { ExternalLink } from '../models.js';
import { externalLinkFromMapping } from '../upstreams/m3ter/mapper.js';
import type { RevioCatalog } from '../upstreams/revio/client.js';
import { toExternalLink, toKeyLinkWrite } from '../upstreams/revio/mapper.js';
import type { CreateExternalLinkInput, MutationResolvers, UpdateExternalLinkInput } from '../__generated__/graphql.js';
import { linkIdArg } from './ids.js';

export const externalLinkMutations: Pick<MutationResolvers, 'createExternalLink' | 'updateExternalLink' | 'deleteExternalLink'> = {
  async createExternalLink(_root, { input }, { loaders, requestId }) {
    for (const field of ['internalType', 'internalId', 'externalSystem', 'externalId'] as const) nonEmpty(input[field], field);
    const externalLink = input.provider === 'M3TER' ? await createMapping(loaders, input, requestId) : await createKeyLink(loaders, input, requestId);
    return { clientMutationId: input.clientMutationId ?? null, externalLink };
  },

  async updateExternalLink(_root, { input }, { loaders, requestId }) {
    const ref = linkIdArg(input.id);
    if (ref.provider === 'M3TER' && (input.expectedVersion === null || input.expectedVersion === undefined)) {
      throw new BadUserInputError('expectedVersion is required to update an m3ter link: pass the version you read');
    }
    checkLinkTenant(ref, loaders.clients);
    const current = await loaders.linkById.load(ref);
    if (current === null) throw notFound(ref, 'updateExternalLink');
    const externalLink = ref.provider === 'M3TER' ? await updateMapping(loaders, current, input, requestId) : await replaceKeyLink(loaders, ref, current, input, requestId);
    loaders.linkById.clear(ref).prime(ref, externalLink);
    return { clientMutationId: input.clientMutationId ?? null, externalLink };
  },

  async deleteExternalLink(_root, { input }, { loaders, requestId }) {
    const ref = linkIdArg(input.id);
    checkLinkTenant(ref, loaders.clients);
    if (ref.provider === 'M3TER') await loaders.clients.m3ter.deleteMapping({ id: ref.nativeId, requestId });
    else await loaders.clients.revio.deleteKeyLink({ id: Number(ref.nativeId), requestId });
    loaders.linkById.clear(ref);
    return { clientMutationId: input.clientMutationId ?? null, deletedId: input.id };
  },
};

async function createMapping(loaders: Loaders, input: CreateExternalLinkInput, requestId: string): Promise<ExternalLink> {
  const externalTable = nonEmpty(input.externalTable, 'externalTable', ' for provider M3TER (the external record type, e.g. Account)');
  const { m3ter } = loaders.clients;
  const mapping = await m3ter.createMapping({
    requestId,
    mapping: {
      m3terEntity: input.internalType,
      m3terId: input.internalId,
      // m3ter's own spelling (`Salesforce`), so the new mapping is found by its exact filters.
      externalSystem: await loaders.m3terSystemName(input.externalSystem),
      externalTable,
      externalId: input.externalId,
      ...(input.integrationConfigId ? { integrationConfigId: input.integrationConfigId } : {}),
    },
  });
  return externalLinkFromMapping(mapping, m3ter.orgId);
}

async function createKeyLink(loaders: Loaders, input: CreateExternalLinkInput, requestId: string): Promise<ExternalLink> {
  const catalog = await loaders.revioCatalog.get();
  const write = toKeyLinkWrite({
    systemId: systemIdOf(catalog, input.externalSystem),
    entityTypeId: entityTypeIdOf(catalog, input.internalType),
    internalId: input.internalId,
    externalId: input.externalId,
  });
  const { revio } = loaders.clients;
  const { id } = await revio.createKeyLink({ link: write, requestId });
  // Rev.io answers the new id only; the record (with its audit fields) is one search away.
  const record = (await revio.getKeyLink({ id, requestId })) ?? { ...write, integration_key_link_id: id };
  return toExternalLink(record, revio.clientCode, catalog.names);
}

async function updateMapping(loaders: Loaders, current: ExternalLink, input: UpdateExternalLinkInput, requestId: string): Promise<ExternalLink> {
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

async function replaceKeyLink(loaders: Loaders, ref: LinkRef, current: ExternalLink, input: UpdateExternalLinkInput, requestId: string): Promise<ExternalLink> {
  const catalog = await loaders.revioCatalog.get();
  const write = toKeyLinkWrite({
    systemId: input.externalSystem ? systemIdOf(catalog, input.externalSystem) : current.systemId!,
    entityTypeId: input.internalType ? entityTypeIdOf(catalog, input.internalType) : current.entityTypeId!,
    internalId: input.internalId ?? current.internal.id,
    externalId: input.externalId ?? current.external.id,
  });
  const { revio } = loaders.clients;
  await revio.replaceKeyLink({ id: Number(ref.nativeId), link: write, requestId });
  const record = await revio.getKeyLink({ id: Number(ref.nativeId), requestId });
  if (record === undefined) throw notFound(ref, 'updateExternalLink');
  return toExternalLink(record, revio.clientCode, catalog.names);
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
  return new UpstreamNotFoundError({ vendor: ref.provider === 'M3TER' ? 'm3ter' : 'revio', operation, retryable: false });
}
