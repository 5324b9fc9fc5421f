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
import type { ConnectedVendor, Upstreams, VendorModule } from './upstreams/index.js';

export type { HeaderSource } from './callers/header-source.js';

/**
 * The tenant at each vendor, by vendor name, in its canonical form (Zuora: the entity as 32
 * lower-case hex; m3ter org and Rev.io client as configured); absent where the key grants nothing.
 */
export interface RequestTenant {
  readonly zuora?: string;
  readonly m3ter?: string;
  readonly revio?: string;
  readonly [vendor: string]: string | undefined;
}

export function resolveRequestTenant(headers: HeaderSource, upstreams: Upstreams, caller?: Caller): RequestTenant {
  const tenant: Record<string, string> = {};
  for (const { module, connected } of upstreams.vendors) {
    const chosen = choose(module, connected, headers, caller);
    if (chosen !== undefined) tenant[module.name] = chosen;
  }
  return tenant;
}

/** The tenant at one vendor in its canonical form, `undefined` for a key with no grant there. */
function choose(vendor: VendorModule, connected: ConnectedVendor<unknown>, headers: HeaderSource, caller: Caller | undefined): string | undefined {
  // A key that names nothing at a vendor grants nothing there.
  const grant = caller === undefined ? undefined : (caller.tenants[vendor.name] ?? []);
  const header = vendor.tenantHeader;
  const wanted = readHeader(headers, header);
  if (wanted === undefined) {
    const first = grant === undefined ? connected.tenantIds[0] : grant[0];
    if (first === undefined) {
      if (grant !== undefined) return undefined;
      throw new ForbiddenError(`No ${vendor.tenantLabel} is configured for this gateway; send ${header}`);
    }
    return connected.served(first) ?? notServed(vendor, first);
  }
  // A header's value is never repeated in a message (nor so in a log line): a key pasted into the
  // wrong header must not travel further. The message names the header and what it must hold.
  if (grant !== undefined && !grant.some((item) => vendor.sameTenant(item, wanted))) {
    const why =
      grant.length === 0
        ? `API key "${caller!.keyId}" grants no ${vendor.tenantLabel}`
        : `which API key "${caller!.keyId}" may not act for: expected one of the ${grant.length} it grants`;
    throw new ForbiddenError(`${header} names a ${vendor.tenantLabel}, ${why} (the header's value is not repeated here)`);
  }
  return connected.served(wanted) ?? notServedByHeader(vendor);
}

/** A tenant the key's own grant lists first (configuration, not the request): named. */
function notServed(vendor: VendorModule, value: string): never {
  throw new ForbiddenError(`${vendor.tenantLabel} ${JSON.stringify(value)} (the first this API key grants) is one which this gateway is not configured to act for`);
}

function notServedByHeader(vendor: VendorModule): never {
  throw new ForbiddenError(`${vendor.tenantHeader} names a ${vendor.tenantLabel} which this gateway is not configured to act for: expected the id of one it serves (the header's value is not repeated here)`);
}
