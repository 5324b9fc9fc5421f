/**
 * The small per-tenant lists other lookups depend on: the Rev.io catalog (system and entity-type
 * names ↔ ids) and the m3ter mapping configuration (which systems the org maps, spelled as m3ter
 * spells them).
 */
import type { MappingConfiguration } from '../models.js';
import { mappingConfigurationFrom } from '../upstreams/m3ter/mapper.js';
import type { RevioCatalog } from '../upstreams/revio/client.js';
import { lazy, type Lazy } from './lazy.js';
import type { TenantClients } from './tenant-clients.js';

export interface CatalogLoaders {
  /**
   * The Rev.io client keeps the catalog for the life of the process (it changes only when Rev.io
   * support adds a system), so only the first request after start pays its two list calls.
   */
  revioCatalog: Lazy<RevioCatalog>;
  /** The org's mapping configuration as `mappingConfiguration` answers it: read once per request that asks. */
  m3terConfiguration: Lazy<MappingConfiguration>;
  /**
   * m3ter's spelling of a system name: m3ter filters are exact and case-sensitive (`Salesforce`),
   * while Rev.io writes `SALESFORCE`. A name the org's configuration does not list is used as given.
   * The m3ter client keeps the spellings per process (upstreams/m3ter/system-names.ts).
   */
  m3terSystemName(name: string): Promise<string>;
}

export function createCatalogLoaders(clients: TenantClients, requestId: string): CatalogLoaders {
  const revioCatalog = lazy(() => clients.revio.resolveCatalog({ requestId }));
  const m3terConfiguration = lazy(async () => mappingConfigurationFrom(await clients.m3ter.getConfiguration({ requestId })));
  return {
    revioCatalog,
    m3terConfiguration,
    m3terSystemName: (name) => clients.m3ter.systemName(name, { requestId }),
  };
}
