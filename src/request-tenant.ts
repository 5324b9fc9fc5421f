/**
 * The tenant one request acts for, at each vendor: the Zuora entity it acts as, the m3ter org and
 * the Rev.io client code. Read from request headers, each defaulting to the first tenant of that
 * vendor in config; never from a global, so two concurrent requests can act for different
 * tenants. An unknown tenant is refused here, before any loader exists, so nothing goes upstream.
 *
 *   Interlink-Zuora-Entity: 8a80825555a3c7a10155b460f53858e6   (32 hex or hyphenated UUID)
 *   Interlink-M3ter-Org:    cdb0329b-d2d3-4f30-8838-1872c59d0c30
 *   Interlink-Revio-Client: acmetel
 *
 * Issue 5 (API keys) narrows what a caller may choose through `allowed`.
 */
import { ForbiddenError } from './errors.js';
import type { Upstreams } from './upstreams/index.js';
import { zuoraEntityKey } from './upstreams/index.js';

/** Header names, lower case as Node delivers them. Documented in the README ("The graph"). */
export const TENANT_HEADERS = {
  zuora: 'interlink-zuora-entity',
  m3ter: 'interlink-m3ter-org',
  revio: 'interlink-revio-client',
} as const;

export interface RequestTenant {
  /** The Zuora entity the request acts as: 32 lower-case hex. */
  zuoraEntityId: string;
  /** The m3ter org id as configured. */
  m3terOrgId: string;
  /** The Rev.io client code as configured. */
  revioClientCode: string;
}

/** Tenants a caller may act for; absent = every configured tenant (the seam for issue 5's API keys). */
export interface AllowedTenants {
  zuoraEntityIds?: readonly string[];
  m3terOrgIds?: readonly string[];
  revioClientCodes?: readonly string[];
}

/** Node's `IncomingMessage.headers`, a plain record, or Apollo's `HeaderMap` (a Map). */
export type HeaderSource = Readonly<Record<string, string | readonly string[] | undefined>> | ReadonlyMap<string, string>;

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  const raw = headers instanceof Map ? headers.get(name) : (headers as Record<string, string | readonly string[] | undefined>)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function resolveRequestTenant(headers: HeaderSource, upstreams: Upstreams, allowed: AllowedTenants = {}): RequestTenant {
  const zuoraWanted = headerValue(headers, TENANT_HEADERS.zuora);
  const zuoraEntityId = zuoraWanted === undefined ? upstreams.zuora.entityIds[0] : zuoraEntityKey(zuoraWanted);
  if (zuoraEntityId === undefined || upstreams.zuora.clientFor(zuoraEntityId) === undefined || !permits(allowed.zuoraEntityIds, zuoraEntityId, zuoraEntityKey)) {
    throw refused('Zuora entity', TENANT_HEADERS.zuora, zuoraWanted);
  }

  const orgWanted = headerValue(headers, TENANT_HEADERS.m3ter);
  const m3terOrgId = orgWanted === undefined ? upstreams.m3ter.orgIds[0] : upstreams.m3ter.clientFor(orgWanted)?.orgId;
  if (m3terOrgId === undefined || !permits(allowed.m3terOrgIds, m3terOrgId, lower)) throw refused('m3ter org', TENANT_HEADERS.m3ter, orgWanted);

  const codeWanted = headerValue(headers, TENANT_HEADERS.revio);
  const revioClientCode = codeWanted === undefined ? upstreams.revio.clientCodes[0] : upstreams.revio.clientFor(codeWanted)?.clientCode;
  if (revioClientCode === undefined || !permits(allowed.revioClientCodes, revioClientCode, lower)) {
    throw refused('Rev.io client', TENANT_HEADERS.revio, codeWanted);
  }

  return { zuoraEntityId, m3terOrgId, revioClientCode };
}

const lower = (value: string): string => value.toLowerCase();

function permits(list: readonly string[] | undefined, value: string, key: (v: string) => string): boolean {
  return list === undefined || list.some((item) => key(item) === key(value));
}

function refused(what: string, header: string, wanted: string | undefined): ForbiddenError {
  if (wanted === undefined) return new ForbiddenError(`No ${what} is configured for this gateway; send ${header}`);
  // The caller's own value, shortened: it may be long or odd, and it is not a secret.
  const shown = JSON.stringify(wanted.length > 64 ? `${wanted.slice(0, 64)}…` : wanted);
  return new ForbiddenError(`${header} names ${what} ${shown}, which this gateway is not configured to act for`);
}
