/**
 * `externalLinks(filter)`: each provider asked with the narrowest call its API has for the
 * filter, every result re-checked against the whole filter here (system and type names any
 * case, ids exactly), m3ter's links first, then Rev.io's.
 *
 *   m3ter   internalType+internalId → row 7; internalId → `m3terIds`; system+table+id → row 6;
 *           otherwise row 1 (`externalSystemId` when a system is given)
 *   Rev.io  one search with every filter it has (system, entity type, internal id, external id)
 */
import { BadUserInputError } from '../errors.js';
import type { Loaders } from '../loaders/index.js';
import type { ExternalLink } from '../models.js';
import { externalLinkFromMapping } from '../upstreams/m3ter/mapper.js';
import type { KeyLinkSearch } from '../upstreams/revio/client.js';
import { toExternalLink } from '../upstreams/revio/mapper.js';
import type { ExternalLinkFilter } from '../__generated__/graphql.js';

type Filter = ExternalLinkFilter;

export async function listExternalLinks(loaders: Loaders, filter: Filter, requestId: string): Promise<ExternalLink[]> {
  const [m3ter, revio] = await Promise.all([
    filter.provider === 'REVIO' ? [] : m3terLinks(loaders, filter, requestId),
    filter.provider === 'M3TER' ? [] : revioLinks(loaders, filter, requestId),
  ]);
  return [...m3ter, ...revio].filter((link) => matches(link, filter));
}

async function m3terLinks(loaders: Loaders, f: Filter, requestId: string): Promise<ExternalLink[]> {
  const { m3ter } = loaders.clients;
  const externalSystem = f.externalSystem ? await loaders.m3terSystemName(f.externalSystem) : undefined;
  const mappings =
    f.internalType && f.internalId
      ? await m3ter.listAllMappingsByM3terObject({ m3terEntity: f.internalType, m3terId: f.internalId, requestId })
      : f.internalId
        ? await m3ter.listByM3terIds({ m3terIds: [f.internalId], ...(externalSystem ? { externalSystem } : {}), requestId })
        : externalSystem && f.externalTable && f.externalId
          ? await m3ter.listAllMappingsByExternalId({ externalSystem, externalTable: f.externalTable, externalId: f.externalId, requestId })
          : await m3ter.listAllMappings({ ...(externalSystem ? { externalSystem } : {}), requestId });
  return mappings.map((mapping) => externalLinkFromMapping(mapping, m3ter.orgId));
}

async function revioLinks(loaders: Loaders, f: Filter, requestId: string): Promise<ExternalLink[]> {
  const only = f.provider === 'REVIO';
  // Rev.io links have no external table: a filter on one matches none of them.
  if (f.externalTable) return [];
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
  const records = await revio.searchKeyLinks({ search, requestId });
  return records.map((record) => toExternalLink(record, revio.clientCode, catalog.names));
}

/** A filter Rev.io cannot match: bad input when the caller asked for Rev.io alone, else no Rev.io links. */
function unknown(only: boolean, message: string): ExternalLink[] {
  if (only) throw new BadUserInputError(message);
  return [];
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
