/**
 * The vendor calls a first-attempt resolver makes, each straight to the vendor whenever a field
 * asks: nothing batched, nothing remembered, not even within one request (so two fields that
 * need the same record read it twice). Paging is done right, at the largest page sizes; what
 * is naive is only *when* calls are made.
 */
import type { SandboxInfo } from '../../sandbox-server.js';
import { VendorCallError, type VendorHttp } from '../direct-rest/vendor-http.js';
import {
  globalId,
  listAllMappings,
  loadRevioCatalog,
  searchAllKeyLinks,
  type KeyLink,
  type M3terMapping,
  type RevioCatalog,
  type ZuoraEntity,
} from '../direct-rest/vendor-reads.js';

export interface NaiveContext {
  v: VendorHttp;
  sandbox: SandboxInfo;
  /** The entity tenant-wide Zuora reads act as: the first configured (the root). */
  actingEntityId: string;
}

/** What ExternalLink resolvers receive: the schema's fields, plain. */
export interface LinkModel {
  provider: 'M3TER' | 'REVIO';
  nativeId: string;
  tenant: string;
  internal: { system: string; type: string | null; id: string };
  external: { system: string; type: string | null; id: string };
  version: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  createdBy: string | null;
  updatedBy: string | null;
}

/** `GET /v1/entities/{id}`; null when Zuora does not know it. */
export async function getEntity({ v, actingEntityId }: NaiveContext, id: string): Promise<ZuoraEntity | null> {
  try {
    return await v.zuora<ZuoraEntity>('GET', `v1/entities/${id.replace(/-/g, '').toLowerCase()}`, actingEntityId);
  } catch (error) {
    if (error instanceof VendorCallError && error.status === 404) return null;
    throw error;
  }
}

export function linkFromMapping(mapping: M3terMapping, orgId: string): LinkModel {
  return {
    provider: 'M3TER',
    nativeId: mapping.id,
    tenant: orgId,
    internal: { system: 'm3ter', type: mapping.m3terEntity, id: mapping.m3terId },
    external: { system: mapping.externalSystem, type: mapping.externalTable, id: mapping.externalId },
    version: mapping.version ?? null,
    createdAt: mapping.dtCreated ?? null,
    updatedAt: mapping.dtLastModified ?? null,
    createdBy: mapping.createdBy ?? null,
    updatedBy: mapping.lastModifiedBy ?? null,
  };
}

export function linkFromKeyLink(record: KeyLink, clientCode: string, catalog: RevioCatalog): LinkModel {
  return {
    provider: 'REVIO',
    nativeId: String(record.integration_key_link_id),
    tenant: clientCode,
    internal: { system: 'Rev.io', type: catalog.entityTypeName.get(record.integration_entity_type_id) ?? null, id: String(record.internal_id) },
    external: { system: catalog.systemName.get(record.integration_system_id) ?? String(record.integration_system_id), type: null, id: record.external_id },
    version: null,
    createdAt: record.created_date ?? null,
    updatedAt: null,
    createdBy: record.created_by === null || record.created_by === undefined ? null : String(record.created_by),
    updatedBy: null,
  };
}

export const linkId = (link: LinkModel): string => globalId('ExternalLink', link.provider, link.tenant, link.nativeId);

/**
 * m3ter links to one external record: the org's configuration (m3ter's filters are exact, so a
 * Rev.io `ZUORA` must become `Zuora`), then the system's whole list, filtered here (m3ter has no
 * multi-id filter).
 */
export async function m3terLinksTo(context: NaiveContext, system: string, id: string): Promise<LinkModel[]> {
  const configuration = await context.v.m3ter<{ externalSystems?: { name: string }[] }>('GET', 'externalmappingconfiguration');
  const spelled = configuration.externalSystems?.find((s) => s.name.toLowerCase() === system.toLowerCase())?.name ?? system;
  const orgId = context.sandbox.credentials.m3ter.orgId;
  return (await listAllMappings(context.v, { externalSystemId: spelled })).filter((m) => m.externalId === id).map((m) => linkFromMapping(m, orgId));
}

/** Rev.io links to one external record: the catalog (for the system id and names), then an exact search. */
export async function revioLinksTo(context: NaiveContext, system: string, id: string): Promise<LinkModel[]> {
  const catalog = await loadRevioCatalog(context.v);
  const systemId = catalog.systemId(system);
  if (systemId === undefined) return [];
  const records = await searchAllKeyLinks(context.v, { integration_system_id: systemId, external_id: id });
  const clientCode = context.sandbox.credentials.revio.clientCode;
  // Rev.io compares case-insensitively; Salesforce ids differ by case only.
  return records.filter((r) => r.external_id === id).map((r) => linkFromKeyLink(r, clientCode, catalog));
}

export async function linksTo(context: NaiveContext, system: string, id: string): Promise<LinkModel[]> {
  const [m3ter, revio] = await Promise.all([m3terLinksTo(context, system, id), revioLinksTo(context, system, id)]);
  return [...m3ter, ...revio];
}
