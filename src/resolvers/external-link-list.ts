/**
 * `externalLinks(filter)`: one upstream page at a time from each provider, asked with the
 * narrowest call its API has for the filter; every result is re-checked against the whole filter
 * here (system and type names any case, ids exactly). The page loop and cursors are in
 * external-link-page.ts; these are the thin vendor adapters it drives.
 *
 *   m3ter   internalType+internalId → row 7; internalId → row 1 `m3terIds`; system+table+id → row 6;
 *           otherwise row 1 (`externalSystemId` when a system is given). Position: the nextToken
 *           that produced the page (null for the first).
 *   Rev.io  one search with every filter it has (system, entity type, internal id, external id).
 *           Position: the page number.
 */
import { BadUserInputError } from '../errors.js';
import type { UpstreamPage } from '../lib/paging.js';
import type { Loaders } from '../loaders/index.js';
import type { ExternalLink } from '../models.js';
import { externalLinkFromMapping } from '../upstreams/m3ter/mapper.js';
import type { M3terMappingPage, M3terPageOptions } from '../upstreams/m3ter/m3ter-types.js';
import { M3TER_PAGE_SIZE } from '../upstreams/m3ter/paging.js';
import type { KeyLinkSearch } from '../upstreams/revio/client.js';
import { toExternalLink } from '../upstreams/revio/mapper.js';
import type { ExternalLinkFilter } from '../__generated__/graphql.js';

type Filter = ExternalLinkFilter;

/** m3ter's page position: the nextToken that produced the page; null for the first page. */
export type M3terAt = string | null;
/** Rev.io's page position: the 1-based page number. */
export type RevioAt = number;

export type LinkPageFetcher<At> = (at: At) => Promise<UpstreamPage<ExternalLink, At>>;

export const isM3terAt = (at: unknown): at is M3terAt => at === null || (typeof at === 'string' && at.length > 0 && at.length <= 2048);
export const isRevioAt = (at: unknown): at is RevioAt => Number.isSafeInteger(at) && (at as number) >= 1;

export function m3terLinkPages(loaders: Loaders, f: Filter, requestId: string): LinkPageFetcher<M3terAt> {
  const { m3ter } = loaders.clients;
  // Resolved once per read, on the first page asked for (m3ter names systems exactly).
  let system: Promise<string | undefined> | undefined;
  const externalSystemOf = () => (system ??= f.externalSystem ? loaders.m3terSystemName(f.externalSystem) : Promise.resolve(undefined));
  return async (at) => {
    const page: M3terPageOptions = { pageSize: M3TER_PAGE_SIZE, ...(at === null ? {} : { nextToken: at }) };
    const externalSystem = await externalSystemOf();
    const result: M3terMappingPage =
      f.internalType && f.internalId
        ? await m3ter.listMappingsByM3terObject({ m3terEntity: f.internalType, m3terId: f.internalId, requestId, ...page })
        : f.internalId
          ? await m3ter.listMappings({ m3terIds: [f.internalId], ...(externalSystem ? { externalSystem } : {}), requestId, ...page })
          : externalSystem && f.externalTable && f.externalId
            ? await m3ter.listMappingsByExternalId({ externalSystem, externalTable: f.externalTable, externalId: f.externalId, requestId, ...page })
            : await m3ter.listMappings({ ...(externalSystem ? { externalSystem } : {}), requestId, ...page });
    return { items: result.mappings.map((mapping) => externalLinkFromMapping(mapping, m3ter.orgId)), next: result.nextToken || undefined };
  };
}

/** The Rev.io page reader for the filter, or undefined when no Rev.io link can match it. */
export async function revioLinkPages(loaders: Loaders, f: Filter, requestId: string): Promise<LinkPageFetcher<RevioAt> | undefined> {
  const only = f.provider === 'REVIO';
  // Rev.io links have no external table: a filter on one matches none of them.
  if (f.externalTable) return undefined;
  const catalog = await loaders.revioCatalog.get();
  const search: KeyLinkSearch = {};
  if (f.externalSystem) {
    const id = catalog.systemId(f.externalSystem);
    if (id === undefined) return unknown(only, `externalSystem "${f.externalSystem}" is not a Rev.io integration system here (known: ${catalog.systems.map((s) => s.name).join(', ')})`);
    search.integration_system_id = id;
  }
  if (f.internalType) {
    const id = catalog.entityTypeId(f.internalType);
    if (id === undefined) return unknown(only, `internalType "${f.internalType}" is not a Rev.io entity type (known: ${catalog.entityTypes.map((t) => t.name).join(', ')})`);
    search.integration_entity_type_id = id;
  }
  if (f.internalId) {
    if (!/^\d{1,10}$/.test(f.internalId)) return unknown(only, `internalId must be a Rev.io integer id for provider REVIO, got "${f.internalId.slice(0, 40)}"`);
    search.internal_id = Number(f.internalId);
  }
  if (f.externalId) search.external_id = f.externalId;
  const { revio } = loaders.clients;
  return async (page) => {
    const result = await revio.searchKeyLinksPage({ search, requestId, page });
    return { items: result.records.map((record) => toExternalLink(record, revio.clientCode, catalog.names)), next: result.nextPage };
  };
}

/** A filter Rev.io cannot match: bad input when the caller asked for Rev.io alone, else no Rev.io links. */
function unknown(only: boolean, message: string): undefined {
  if (only) throw new BadUserInputError(message);
  return undefined;
}

const same = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

export function matches(link: ExternalLink, f: Filter): boolean {
  return (
    (!f.provider || link.provider === f.provider) &&
    (!f.externalSystem || same(link.external.system, f.externalSystem)) &&
    (!f.externalTable || same(link.external.type, f.externalTable)) &&
    (!f.externalId || link.external.id === f.externalId) &&
    (!f.internalType || same(link.internal.type, f.internalType)) &&
    (!f.internalId || link.internal.id === f.internalId)
  );
}
