/**
 * The vendor reads targets (a) and (c) make, each at the vendor's largest page size and walked
 * to the end: Zuora 300 connections a page, m3ter 200 mappings, Rev.io 500 key links. Plus the
 * vendor record shapes they read and the global ids both targets answer with (Interlink's
 * format: base64url of `Type:part:part`, so ids compare across targets).
 */
import type { VendorHttp } from './vendor-http.js';

export interface ZuoraEntity {
  id: string;
  name?: string | null;
  displayName?: string | null;
  status?: string | null;
  locale?: string | null;
  timezone?: string | null;
  tenantId?: string | null;
  parentId?: string | null;
}

export interface ZuoraConnection {
  id: string;
  sourceEntityId: string;
  targetEntityId: string;
  status?: string | null;
}

export interface M3terMapping {
  id: string;
  version?: number;
  m3terEntity: string;
  m3terId: string;
  externalSystem: string;
  externalTable: string;
  externalId: string;
  dtCreated?: string;
  dtLastModified?: string;
  createdBy?: string;
  lastModifiedBy?: string;
}

export interface KeyLink {
  integration_key_link_id: number;
  integration_system_id: number;
  integration_entity_type_id: number;
  internal_id: number;
  external_id: string;
  created_date?: string | null;
  created_by?: number | null;
}

/** Rev.io names ↔ ids for one client: system and entity-type ids differ per tenant (bar two). */
export interface RevioCatalog {
  systemName: ReadonlyMap<number, string>;
  entityTypeName: ReadonlyMap<number, string>;
  systemId(name: string): number | undefined;
  entityTypeId(name: string): number | undefined;
}

export const ZUORA_PAGE_SIZE = 300;
export const M3TER_PAGE_SIZE = 200;
export const REVIO_PAGE_SIZE = 500;

export function globalId(type: 'Entity' | 'Connection' | 'ExternalLink', ...parts: string[]): string {
  return Buffer.from([type, ...parts.map(encodeURIComponent)].join(':'), 'utf8').toString('base64url');
}

/** `ExternalLink:<provider>:<tenant>:<nativeId>` → its parts; undefined for anything else. */
export function linkRefOf(id: string): { provider: string; tenant: string; nativeId: string } | undefined {
  const [type, provider, tenant, nativeId, ...rest] = Buffer.from(id, 'base64url').toString('utf8').split(':').map(decodeURIComponent);
  if (type !== 'ExternalLink' || provider === undefined || tenant === undefined || nativeId === undefined || rest.length > 0) return undefined;
  return { provider, tenant, nativeId };
}

/** `GET /v1/entities`: every entity of the tenant, unpaged. */
export async function listEntities(v: VendorHttp, actingEntityId: string): Promise<ZuoraEntity[]> {
  return (await v.zuora<{ entities?: ZuoraEntity[] }>('GET', 'v1/entities', actingEntityId)).entities ?? [];
}

/** Every connection of the acting entity, both directions, page+1 while pages are full; ids once. */
export async function listAllConnections(v: VendorHttp, entityId: string): Promise<ZuoraConnection[]> {
  const seen = new Map<string, ZuoraConnection>();
  for (let page = 1; ; page++) {
    const body = await v.zuora<{ entityConnections?: ZuoraConnection[]; nextPage?: string }>('GET', 'v1/entity-connections', entityId, {
      searchParams: { page, pageSize: ZUORA_PAGE_SIZE },
    });
    const rows = body.entityConnections ?? [];
    const before = seen.size;
    for (const row of rows) if (!seen.has(row.id)) seen.set(row.id, row);
    // A page with nothing new means the list is repeating itself: stop rather than loop.
    if (seen.size === before || (!body.nextPage && rows.length < ZUORA_PAGE_SIZE)) return [...seen.values()];
  }
}

/** `GET /externalmappings`, every page, the filters repeated alongside each `nextToken`. */
export async function listAllMappings(v: VendorHttp, filters: Record<string, string>): Promise<M3terMapping[]> {
  const all: M3terMapping[] = [];
  let nextToken: string | undefined;
  do {
    const searchParams = new URLSearchParams({ ...filters, pageSize: String(M3TER_PAGE_SIZE), ...(nextToken ? { nextToken } : {}) });
    const body = await v.m3ter<{ data?: M3terMapping[]; nextToken?: string | null }>('GET', 'externalmappings', { searchParams });
    all.push(...(body.data ?? []));
    nextToken = body.nextToken || undefined;
  } while (nextToken !== undefined);
  return all;
}

/** `GET /v1/IntegrationKeyLink` with `search.*` filters, every page. */
export async function searchAllKeyLinks(v: VendorHttp, search: Record<string, string | number>): Promise<KeyLink[]> {
  const all: KeyLink[] = [];
  for (let page = 1; ; page++) {
    const body = await revioPage<KeyLink>(v, 'v1/IntegrationKeyLink', search, page);
    all.push(...body.records);
    if (!body.has_more) return all;
  }
}

/** Systems and entity types: two lists, one page each (a tenant has a handful). */
export async function loadRevioCatalog(v: VendorHttp): Promise<RevioCatalog> {
  const [systems, types] = await Promise.all([
    revioPage<{ integration_system_id: number; system_name: string }>(v, 'v1/IntegrationSystem', {}, 1),
    revioPage<{ integration_entity_type_id: number; entity_type_name: string }>(v, 'v1/IntegrationEntityType', {}, 1),
  ]);
  const systemName = new Map(systems.records.map((s) => [s.integration_system_id, s.system_name]));
  const entityTypeName = new Map(types.records.map((t) => [t.integration_entity_type_id, t.entity_type_name]));
  const idOf = (names: Map<number, string>) => (name: string) => [...names].find(([, n]) => n.toUpperCase() === name.toUpperCase())?.[0];
  return { systemName, entityTypeName, systemId: idOf(systemName), entityTypeId: idOf(entityTypeName) };
}

async function revioPage<T>(v: VendorHttp, path: string, search: Record<string, string | number>, page: number): Promise<{ records: T[]; has_more: boolean }> {
  const searchParams = new URLSearchParams();
  for (const [field, value] of Object.entries(search)) searchParams.set(`search.${field}`, String(value));
  searchParams.set('search.page', String(page));
  searchParams.set('search.page_size', String(REVIO_PAGE_SIZE));
  const body = await v.revio<{ records?: T[]; has_more?: boolean }>('GET', path, { searchParams });
  return { records: body.records ?? [], has_more: body.has_more === true };
}
