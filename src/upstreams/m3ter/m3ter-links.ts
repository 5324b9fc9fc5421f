/**
 * m3ter External Mappings as a link provider, for one org. Which of m3ter's list endpoints answers
 * a filter, how a write is made safe to repeat and what settles an unknown outcome are decided
 * here; the gateway above sees only links.
 */
import { BadUserInputError, UpstreamNotFoundError } from '../../errors.js';
import type { LinkFilter } from '../../models.js';
import type { Call, M3terLinks, PageReader, Paging } from '../providers.js';
import type { M3terClient } from './client.js';
import { m3terReconcile } from './m3ter-reconcile.js';
import type { M3terMappingCreate, M3terMappingPage, M3terPageOptions } from './m3ter-types.js';
import { externalLinkFromMapping, mappingConfigurationFrom } from './mapper.js';
import { M3TER_MAX_PAGES, M3TER_PAGE_SIZE } from './paging.js';

/**
 * m3ter ids per `m3terIds` list call. The spec sets no limit, but every id is a repeated query
 * parameter: 50 UUIDs keep the URL near 2.5 KB, well inside what proxies accept.
 */
export const M3TER_IDS_PER_CALL = 50;

/** A list position: the nextToken that produced the page; null for the first page. */
type M3terAt = string | null;

const linkPaging: Paging<M3terAt> = {
  vendor: 'm3ter',
  operation: 'listMappings',
  start: null,
  maxPages: M3TER_MAX_PAGES,
  isPosition: (at: unknown): at is M3terAt => at === null || (typeof at === 'string' && at.length > 0 && at.length <= 2048),
};

export function m3terLinks(client: M3terClient): M3terLinks {
  const orgId = client.orgId;
  const toLink = (mapping: Parameters<typeof externalLinkFromMapping>[0]) => externalLinkFromMapping(mapping, orgId);
  // m3ter filters are exact and case-sensitive (`Salesforce`); the client keeps the org's spellings.
  const spelled = (name: string, { requestId }: Call) => client.systemName(name, { requestId });
  const get = async (id: string, { requestId }: Call) => {
    try {
      return await client.getMapping({ id, requestId });
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return undefined;
      throw error;
    }
  };

  return {
    provider: 'M3TER',
    vendor: 'm3ter',
    tenant: orgId,
    optimisticLocking: true,

    // m3ter cannot filter on several external ids at once, and its by-record lookup needs the
    // external table, which a cross-system lookup lacks: one list of the system, ids kept here.
    async linksTo(system, externalIds, call) {
      const wanted = new Set(externalIds);
      const mappings = await client.listAllMappings({ externalSystem: await spelled(system, call), requestId: call.requestId });
      return mappings.filter((mapping) => wanted.has(mapping.externalId)).map(toLink);
    },

    // The one filter m3ter has that takes many values: one paged list per 50 ids, any entity type.
    async linksFrom(_internalType, internalIds, call) {
      const ids = [...new Set(internalIds)];
      const chunks = Array.from({ length: Math.ceil(ids.length / M3TER_IDS_PER_CALL) }, (_, i) => ids.slice(i * M3TER_IDS_PER_CALL, (i + 1) * M3TER_IDS_PER_CALL));
      const lists = await Promise.all(chunks.map((m3terIds) => client.listAllMappings({ m3terIds, requestId: call.requestId })));
      return lists.flat().map(toLink);
    },

    // The org's mapping configuration (kept per process) lists every system it can map.
    holdsSystem: async (system, call) => (await client.mappedSystems({ requestId: call.requestId })).has(system.toLowerCase()),

    linkPaging: linkPaging as Paging<unknown>,

    // The narrowest list for the filter: by m3ter object, by m3ter ids, by external record, or the whole list.
    async linkPages(f: LinkFilter, call): Promise<PageReader<ReturnType<typeof toLink>, unknown>> {
      const { requestId } = call;
      // Resolved once per read, on the first page asked for.
      let system: Promise<string | undefined> | undefined;
      const externalSystemOf = () => (system ??= f.externalSystem ? spelled(f.externalSystem, call) : Promise.resolve(undefined));
      return async (at) => {
        const page: M3terPageOptions = { pageSize: M3TER_PAGE_SIZE, ...(at === null ? {} : { nextToken: at as string }) };
        const externalSystem = await externalSystemOf();
        const result: M3terMappingPage =
          f.internalType && f.internalId
            ? await client.listMappingsByM3terObject({ m3terEntity: f.internalType, m3terId: f.internalId, requestId, ...page })
            : f.internalId
              ? await client.listMappings({ m3terIds: [f.internalId], ...(externalSystem ? { externalSystem } : {}), requestId, ...page })
              : externalSystem && f.externalTable && f.externalId
                ? await client.listMappingsByExternalId({ externalSystem, externalTable: f.externalTable, externalId: f.externalId, requestId, ...page })
                : await client.listMappings({ ...(externalSystem ? { externalSystem } : {}), requestId, ...page });
        return { items: result.mappings.map(toLink), next: result.nextToken || undefined };
      };
    },

    link: async (id, call) => {
      const mapping = await get(id, call);
      return mapping === undefined ? null : toLink(mapping);
    },

    async prepareCreate(link, call) {
      if (link.externalTable === undefined || link.externalTable.trim() === '') {
        throw new BadUserInputError(`externalTable is required for provider M3TER (the external record type, e.g. Account), got ${link.externalTable === '' ? 'an empty string' : 'nothing'}`);
      }
      const mapping: M3terMappingCreate = {
        m3terEntity: link.internalType,
        m3terId: link.internalId,
        // m3ter's own spelling, so the new mapping is found by its exact filters.
        externalSystem: await spelled(link.externalSystem, call),
        externalTable: link.externalTable,
        externalId: link.externalId,
        ...(link.integrationConfigId ? { integrationConfigId: link.integrationConfigId } : {}),
      };
      return {
        fingerprint: { provider: 'M3TER', ...mapping },
        async write({ requestId }, before) {
          // m3ter answers with the mapping as stored.
          const created = await client.createMapping({ requestId, mapping, before });
          return { nativeId: created.id, link: toLink(created) };
        },
        matching: ({ requestId }) => m3terReconcile.matching(client, mapping, requestId),
      };
    },

    async prepareUpdate(current, changes, call) {
      if (current.provider !== 'M3TER') throw new TypeError('an m3ter update needs an m3ter link');
      const externalSystem = changes.externalSystem ? await spelled(changes.externalSystem, call) : undefined;
      const fields = {
        m3terEntity: changes.internalType,
        m3terId: changes.internalId,
        externalSystem,
        externalTable: changes.externalTable,
        externalId: changes.externalId,
      };
      // The version the caller read, not the one just read: a write in between is a CONFLICT.
      const version = changes.expectedVersion ?? current.version ?? 0;
      return {
        async write({ requestId }) {
          const mapping = await client.updateMapping({
            id: current.nativeId,
            requestId,
            mapping: {
              m3terEntity: fields.m3terEntity ?? current.internal.type ?? '',
              m3terId: fields.m3terId ?? current.internal.id,
              externalSystem: fields.externalSystem ?? current.external.system,
              externalTable: fields.externalTable ?? current.external.type ?? '',
              externalId: fields.externalId ?? current.external.id,
              ...(current.integrationConfigId === null ? {} : { integrationConfigId: current.integrationConfigId }),
              version,
            },
          });
          return toLink(mapping);
        },
        // One version past the caller's, holding the new fields: our PUT landed.
        landed: (stored) =>
          stored.provider === 'M3TER' &&
          stored.version === version + 1 &&
          (fields.m3terEntity === undefined || stored.internal.type === fields.m3terEntity) &&
          (fields.m3terId === undefined || stored.internal.id === fields.m3terId) &&
          (fields.externalSystem === undefined || stored.external.system === fields.externalSystem) &&
          (fields.externalTable === undefined || stored.external.type === fields.externalTable) &&
          (fields.externalId === undefined || stored.external.id === fields.externalId),
      };
    },

    async delete(id, { requestId }) {
      await client.deleteMapping({ id, requestId });
    },
    isGone: (id, { requestId }) => m3terReconcile.deleted(client, id, requestId),

    mappingConfiguration: async ({ requestId }) => mappingConfigurationFrom(await client.getConfiguration({ requestId })),
    async probe({ requestId }) {
      // Readiness must hear from m3ter now, not from a read another request started.
      await client.getConfiguration({ requestId, probe: true });
    },
  };
}
