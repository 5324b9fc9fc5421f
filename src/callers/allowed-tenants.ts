/**
 * The seam between API keys and the GraphQL layer's tenant choice (request-tenant.ts): which
 * tenant a caller acts for at each vendor, from the same `Interlink-*` headers.
 *
 * - A header naming a tenant inside the key's grant selects it (Zuora entity ids compare ignoring
 *   hyphens and case, m3ter org ids and Rev.io client codes ignoring case).
 * - A header naming anything else is `FORBIDDEN`. This runs while the context is built, before
 *   any resolver or loader exists, so a refused request makes no upstream call.
 * - No header: the key's tenant at that vendor. A key granting several defaults to the first it
 *   lists, as the gateway defaults to the first configured tenant; send the header to choose.
 * - A key granting nothing at a vendor selects nothing there (`undefined`); the GraphQL layer
 *   then refuses any request that needs that vendor.
 *
 * Wiring: `createContext({ headers: { ...req.headers, ...tenants.headers }, allowed: tenants.allowed })`.
 */
import { ForbiddenError } from '../errors.js';
import { TENANT_HEADERS } from '../request-tenant.js';
import type { Vendor } from '../upstreams/vendor.js';
import type { Caller } from './caller.js';
import { readHeader, type HeaderSource } from './header-source.js';

export interface CallerTenants {
  /** The Zuora entity to act as, 32 lower-case hex (the form `RequestTenant` uses). */
  zuoraEntityId: string | undefined;
  m3terOrgId: string | undefined;
  revioClientCode: string | undefined;
  /** The key's whole grant, in the shape of request-tenant's `AllowedTenants`. */
  allowed: { zuoraEntityIds: readonly string[]; m3terOrgIds: readonly string[]; revioClientCodes: readonly string[] };
  /** The chosen tenants as `Interlink-*` headers (lower case), so the layer's default is the key's tenant. */
  headers: Record<string, string>;
}

const LABEL: Record<Vendor, string> = { zuora: 'Zuora entity', m3ter: 'm3ter org', revio: 'Rev.io client' };

/** The comparison key per vendor: Zuora ids in either form meet as 32 lower-case hex. */
const KEY: Record<Vendor, (value: string) => string> = {
  zuora: (value) => value.replace(/-/g, '').toLowerCase(),
  m3ter: (value) => value.toLowerCase(),
  revio: (value) => value.toLowerCase(),
};

export function allowedTenants(caller: Caller, headers: HeaderSource): CallerTenants {
  const choose = (vendor: Vendor): string | undefined => {
    const grant = caller.tenants[vendor];
    const wanted = readHeader(headers, TENANT_HEADERS[vendor]);
    if (wanted === undefined) return grant[0];
    const match = grant.find((item) => KEY[vendor](item) === KEY[vendor](wanted));
    if (match === undefined) {
      // The caller's own value, shortened: it may be long or odd, and it is not a secret.
      const shown = JSON.stringify(wanted.length > 64 ? `${wanted.slice(0, 64)}…` : wanted);
      throw new ForbiddenError(`${TENANT_HEADERS[vendor]} names ${LABEL[vendor]} ${shown}, which API key "${caller.keyId}" may not act for`);
    }
    return match;
  };
  const zuora = choose('zuora');
  const m3ter = choose('m3ter');
  const revio = choose('revio');
  const headersOut: Record<string, string> = {};
  if (zuora !== undefined) headersOut[TENANT_HEADERS.zuora] = zuora;
  if (m3ter !== undefined) headersOut[TENANT_HEADERS.m3ter] = m3ter;
  if (revio !== undefined) headersOut[TENANT_HEADERS.revio] = revio;
  return {
    zuoraEntityId: zuora === undefined ? undefined : KEY.zuora(zuora),
    m3terOrgId: m3ter,
    revioClientCode: revio,
    allowed: { zuoraEntityIds: caller.tenants.zuora, m3terOrgIds: caller.tenants.m3ter, revioClientCodes: caller.tenants.revio },
    headers: headersOut,
  };
}
