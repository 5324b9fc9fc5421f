/**
 * One set of loaders per request (never shared: they cache what one caller may see), built on
 * the request's vendor providers. Resolvers read upstream data through these, so a query touching
 * hundreds of objects costs the fewest calls the vendor APIs allow:
 *
 *   entities, parents, children  one Zuora entity list
 *   connections of N entities    N connection lists (no cross-entity endpoint), each once
 *   links to N external records  per provider, one read per external system
 */
import type DataLoader from 'dataloader';
import type { RequestGrant } from '../authorization/request-grant.js';
import type { ExternalLink, IntegrationEntityType, IntegrationSystem, MappingConfiguration, Provider } from '../models.js';
import type { RequestTenant } from '../request-tenant.js';
import { createConnectionLoaders, type ConnectionLoaders } from './connection-loaders.js';
import { createEntityLoaders, type EntityLoaders } from './entity-loaders.js';
import type { ExternalRecordKey } from './external-record-key.js';
import { lazy, type Lazy } from './lazy.js';
import { createLinkByIdLoader, type LinkRef } from './link-by-id-loader.js';
import { createLinksToLoader } from './links-to-loader.js';
import type { BatchObserver } from './observed-batch.js';
import type { RequestProviders } from './request-providers.js';

export type { ExternalRecordKey } from './external-record-key.js';
export type { LinkRef } from './link-by-id-loader.js';
export { requestProviders, type RequestProviders } from './request-providers.js';

export interface Loaders extends EntityLoaders, ConnectionLoaders {
  /** Each provider's links whose external end is this record. */
  linksTo: Readonly<Record<Provider, DataLoader<ExternalRecordKey, ExternalLink[], string>>>;
  linkById: DataLoader<LinkRef, ExternalLink | null, string>;
  /** The Rev.io catalog (the provider keeps it for the life of the process). */
  integrationSystems: Lazy<IntegrationSystem[]>;
  integrationEntityTypes: Lazy<IntegrationEntityType[]>;
  /** The m3ter org's mapping configuration: read once per request that asks. */
  mappingConfiguration: Lazy<MappingConfiguration>;
}

export interface CreateLoadersOptions {
  providers: RequestProviders;
  tenant: RequestTenant;
  /** What the caller may reach: links of another tenant are refused before any call. */
  grant: RequestGrant;
  requestId: string;
  /** Told every batch's size (metrics); optional. */
  observeBatch?: BatchObserver;
}

export function createLoaders({ providers, tenant, grant, requestId, observeBatch }: CreateLoadersOptions): Loaders {
  const call = { requestId };
  return {
    ...createEntityLoaders(providers, tenant.zuora ?? '', requestId, observeBatch),
    ...createConnectionLoaders(providers, requestId, observeBatch),
    // One loader per link provider the registry declares; Provider mirrors the schema's enum, so the record is complete.
    linksTo: Object.fromEntries(providers.linkProviders.map((provider) => [provider, createLinksToLoader(provider, providers, requestId, observeBatch)])) as Loaders['linksTo'],
    linkById: createLinkByIdLoader(providers, grant, requestId, observeBatch),
    integrationSystems: lazy(() => providers.revio.integrationSystems(call)),
    integrationEntityTypes: lazy(() => providers.revio.integrationEntityTypes(call)),
    mappingConfiguration: lazy(() => providers.m3ter.mappingConfiguration(call)),
  };
}
