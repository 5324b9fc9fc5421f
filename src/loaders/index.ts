/**
 * One set of loaders per request (never shared: they cache what one caller may see), built on
 * the process-wide clients of the request's tenant. Resolvers reach upstream data only through
 * these, so a query touching hundreds of objects costs the fewest calls the vendor APIs allow:
 *
 *   entities, parents, children  one `GET /v1/entities`
 *   connections of N entities    N connection lists (no cross-entity endpoint), each once
 *   links to N external records  one m3ter list + one Rev.io search per external system
 */
import type DataLoader from 'dataloader';
import type { RequestGrant } from '../authorization/request-grant.js';
import type { ExternalLink } from '../models.js';
import type { RequestTenant } from '../request-tenant.js';
import type { Upstreams } from '../upstreams/index.js';
import { createCatalogLoaders, type CatalogLoaders } from './catalog-loaders.js';
import { createConnectionLoaders, type ConnectionLoaders } from './connection-loaders.js';
import { createEntityLoaders, type EntityLoaders } from './entity-loaders.js';
import type { ExternalRecordKey } from './external-record-key.js';
import { createLinkByIdLoader, type LinkRef } from './link-by-id-loader.js';
import type { BatchObserver } from './observed-batch.js';
import { createM3terLinkLoader } from './m3ter-link-loaders.js';
import { createRevioLinkLoader } from './revio-link-loaders.js';
import { tenantClients, type TenantClients } from './tenant-clients.js';

export type { ExternalRecordKey } from './external-record-key.js';
export type { LinkRef } from './link-by-id-loader.js';
export type { TenantClients } from './tenant-clients.js';

export interface Loaders extends EntityLoaders, ConnectionLoaders, CatalogLoaders {
  /** The request's vendor clients, for calls no loader makes (writes, filtered lists). */
  clients: TenantClients;
  /** m3ter links whose external end is this record. */
  m3terLinksTo: DataLoader<ExternalRecordKey, ExternalLink[], string>;
  /** Rev.io key links whose external end is this record. */
  revioLinksTo: DataLoader<ExternalRecordKey, ExternalLink[], string>;
  linkById: DataLoader<LinkRef, ExternalLink | null, string>;
}

export interface CreateLoadersOptions {
  upstreams: Upstreams;
  tenant: RequestTenant;
  /** What the caller may reach: the clients refuse a vendor it has no grant at. */
  grant: RequestGrant;
  requestId: string;
  /** Told every batch's size (metrics); optional. */
  observeBatch?: BatchObserver;
}

export function createLoaders({ upstreams, tenant, grant, requestId, observeBatch }: CreateLoadersOptions): Loaders {
  const clients = tenantClients(upstreams, tenant, grant);
  const catalogs = createCatalogLoaders(clients, requestId);
  return {
    clients,
    ...createEntityLoaders(clients, tenant.zuoraEntityId ?? '', requestId, observeBatch),
    ...createConnectionLoaders(clients, requestId, observeBatch),
    ...catalogs,
    m3terLinksTo: createM3terLinkLoader(clients, catalogs, requestId, observeBatch),
    revioLinksTo: createRevioLinkLoader(clients, catalogs, requestId, observeBatch),
    linkById: createLinkByIdLoader(clients, catalogs, grant, requestId, observeBatch),
  };
}
