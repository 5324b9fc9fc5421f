/**
 * The tenant one request acts for, at each vendor: the Zuora entity it acts as, the m3ter org and
 * the Rev.io client code. Chosen once, here, from the request headers and the caller's grant;
 * never from a global, so two concurrent requests can act for different tenants.
 *
 *   Interlink-Zuora-Entity: 8a80825555a3c7a10155b460f53858e6   (32 hex or hyphenated UUID)
 *   Interlink-M3ter-Org:    cdb0329b-d2d3-4f30-8838-1872c59d0c30
 *   Interlink-Revio-Client: acmetel
 *
 * - A header naming a tenant the gateway serves and the key grants selects it (Zuora ids compare
 *   ignoring hyphens and case, org ids and client codes ignoring case).
 * - No header: the key's first tenant at that vendor (without a key, in process: the first
 *   configured one).
 * - A key granting nothing at a vendor acts for nobody there (`undefined`): its requests run, and
 *   only fields that need that vendor are refused (see authorization/request-grant.ts).
 * - Anything else is `FORBIDDEN`, thrown while the context is built, so nothing has gone upstream.
 */
import type { Caller } from './callers/caller.js';
import { readHeader, type HeaderSource } from './callers/header-source.js';
import { ForbiddenError } from './errors.js';
import type { Upstreams } from './upstreams/index.js';
import { zuoraEntityKey } from './upstreams/index.js';
import type { Vendor } from './upstreams/vendor.js';

export type { HeaderSource } from './callers/header-source.js';

/** Header names, lower case as Node delivers them. Documented in the README ("The graph"). */
export const TENANT_HEADERS = {
  zuora: 'interlink-zuora-entity',
  m3ter: 'interlink-m3ter-org',
  revio: 'interlink-revio-client',
} as const;

export interface RequestTenant {
  /** The Zuora entity the request acts as: 32 lower-case hex; absent when the key has no Zuora grant. */
  zuoraEntityId?: string;
  /** The m3ter org id as configured; absent when the key has no m3ter grant. */
  m3terOrgId?: string;
  /** The Rev.io client code as configured; absent when the key has no Rev.io grant. */
  revioClientCode?: string;
}

const LABEL: Record<Vendor, string> = { zuora: 'Zuora entity', m3ter: 'm3ter org', revio: 'Rev.io client' };

export function resolveRequestTenant(headers: HeaderSource, upstreams: Upstreams, caller?: Caller): RequestTenant {
  const tenant: RequestTenant = {};
  const zuora = choose('zuora', headers, caller, upstreams.zuora.entityIds, (id) => (upstreams.zuora.clientFor(id) === undefined ? undefined : zuoraEntityKey(id)));
  if (zuora !== undefined) tenant.zuoraEntityId = zuora;
  const m3ter = choose('m3ter', headers, caller, upstreams.m3ter.orgIds, (id) => upstreams.m3ter.clientFor(id)?.orgId);
  if (m3ter !== undefined) tenant.m3terOrgId = m3ter;
  const revio = choose('revio', headers, caller, upstreams.revio.clientCodes, (code) => upstreams.revio.clientFor(code)?.clientCode);
  if (revio !== undefined) tenant.revioClientCode = revio;
  return tenant;
}

/** The tenant at one vendor in its configured form, `undefined` for a key with no grant there. */
function choose(
  vendor: Vendor,
  headers: HeaderSource,
  caller: Caller | undefined,
  configured: readonly string[],
  served: (value: string) => string | undefined,
): string | undefined {
  const grant = caller?.tenants[vendor];
  const wanted = readHeader(headers, TENANT_HEADERS[vendor]);
  const header = TENANT_HEADERS[vendor];
  if (wanted === undefined) {
    const first = grant === undefined ? configured[0] : grant[0];
    if (first === undefined) {
      if (grant !== undefined) return undefined;
      throw new ForbiddenError(`No ${LABEL[vendor]} is configured for this gateway; send ${header}`);
    }
    const chosen = served(first);
    if (chosen === undefined) throw notServed(vendor, header, first);
    return chosen;
  }
  if (grant !== undefined && !grant.some((item) => sameTenant(vendor, item, wanted))) {
    const why = grant.length === 0 ? `API key "${caller!.keyId}" grants no ${LABEL[vendor]}` : `which API key "${caller!.keyId}" may not act for`;
    throw new ForbiddenError(`${header} names ${LABEL[vendor]} ${shown(wanted)}, ${why}`);
  }
  const chosen = served(wanted);
  if (chosen === undefined) throw notServed(vendor, header, wanted);
  return chosen;
}

export function sameTenant(vendor: Vendor, a: string, b: string): boolean {
  return vendor === 'zuora' ? zuoraEntityKey(a) === zuoraEntityKey(b) : a.toLowerCase() === b.toLowerCase();
}

function notServed(vendor: Vendor, header: string, value: string): ForbiddenError {
  return new ForbiddenError(`${header} names ${LABEL[vendor]} ${shown(value)}, which this gateway is not configured to act for`);
}

/** The caller's own value, shortened: it may be long or odd, and it is not a secret. */
function shown(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}
