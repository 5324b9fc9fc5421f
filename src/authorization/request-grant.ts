/**
 * What one request's caller may reach, asked before any vendor call. The API key's grant is the
 * authority, not the gateway's credentials: a credential may serve many entities the key was
 * never given.
 *
 * The rules (README, "What a key may see"):
 * - Zuora. A key acts only as the entities its grant lists (the request's entity and any other
 *   granted one served by the same Zuora credential): their connection lists, initiating from
 *   them, accepting, denying or disconnecting as them. It may *see* the directory of its Zuora
 *   tenant (every entity's id, name, status, parent and children, as a connection's `source` or
 *   `target`), because that is what connecting needs, but never act as an entity outside its
 *   grant, nor name an entity that another Zuora tenant of this gateway serves.
 * - m3ter and Rev.io. A key reaches the org and the client the request acts for, which its grant
 *   holds; a link of any other org or client is refused. A key with no grant at a vendor gets
 *   `FORBIDDEN` on the fields that need that vendor, and fields that merge both link providers
 *   answer from the provider it does hold.
 */
import type { Caller } from '../callers/caller.js';
import { ForbiddenError } from '../errors.js';
import type { Provider } from '../models.js';
import type { RequestTenant } from '../request-tenant.js';
import { zuoraEntityKey, type Upstreams } from '../upstreams/index.js';
import type { Vendor } from '../upstreams/vendor.js';

export interface RequestGrant {
  /** The API key's id; absent in process (tests), where every configured tenant is granted. */
  readonly keyId: string | undefined;
  /** Whether the request acts for a tenant at this vendor (the key's grant there is not empty). */
  has(vendor: Vendor): boolean;
  /** Throws FORBIDDEN naming the key's grant when `has(vendor)` is false; `what` is the field or argument. */
  require(vendor: Vendor, what: string): void;
  /** Whether the caller may act as this Zuora entity (any form). */
  mayActAs(entityId: string): boolean;
  /** Throws FORBIDDEN unless `mayActAs(entityId)`; `argument` names where the id came from. */
  requireActAs(entityId: string, argument: string): void;
  /** Throws FORBIDDEN when the entity belongs to another Zuora tenant this gateway serves. */
  requireZuoraTenant(entityId: string, argument: string): void;
  /** Every entity (32-hex) the caller may act as in this request, the request's own first. */
  actingEntities(): readonly string[];
  /** Throws FORBIDDEN when the link provider's vendor is not granted (`has` false there); `what` is the field or argument. */
  requireLinkProvider(provider: Provider, what: string): void;
  /** Throws FORBIDDEN unless the link's provider is granted and its tenant is the request's there. */
  requireLinkTenant(link: { provider: Provider; tenant: string }, argument: string): void;
  /**
   * The tenant a cursor of a list is bound to: `entities` pages the Zuora tenant seen as the
   * request's entity, `links` the request's tenants at every link provider together (m3ter org|Rev.io client).
   */
  cursorScope(list: 'entities' | 'links'): string;
  /** The link providers the caller holds a grant at, in registry order (m3ter first). */
  linkProviders(): readonly Provider[];
}

export function createRequestGrant(upstreams: Upstreams, tenant: RequestTenant, caller?: Caller): RequestGrant {
  const keyId = caller?.keyId;
  const who = keyId === undefined ? 'this request' : `API key "${keyId}"`;
  // Entities of one Zuora credential share its directory: the same object means the same Zuora tenant.
  const zuoraDirectory = tenant.zuora === undefined ? undefined : upstreams.zuora.providerFor(tenant.zuora);
  const granted = caller === undefined ? undefined : new Set(caller.tenants.zuora.map(zuoraEntityKey));
  const has = (vendor: Vendor): boolean => tenant[vendor] !== undefined;
  // The vendor behind each link provider, from the registry rows (upstreams.linkProviders).
  const vendorOf = (provider: Provider): Vendor => {
    const vendor = upstreams.linkProviders.get(provider);
    if (vendor === undefined) throw new Error(`no vendor of this gateway serves link provider ${provider}`);
    return vendor.module.name as Vendor;
  };
  const linkVendors = [...upstreams.linkProviders.values()].map(({ module }) => module.name as Vendor);
  const labelOf = (vendor: Vendor): string => upstreams.vendors.find(({ module }) => module.name === vendor)?.module.tenantLabel ?? vendor;
  const require = (vendor: Vendor, what: string): void => {
    if (!has(vendor)) throw new ForbiddenError(`${capitalized(who)} has no ${labelOf(vendor)} in its grant, so ${what} is not available to it`);
  };
  const mayActAs = (entityId: string): boolean => {
    if (zuoraDirectory === undefined) return false;
    const key = zuoraEntityKey(entityId);
    return (granted === undefined || granted.has(key)) && upstreams.zuora.providerFor(key) === zuoraDirectory;
  };
  // The granted entities of the request's credential, for the rare lookup that must act as one
  // (node of a connection): worked out when asked, not for every request.
  let acting: readonly string[] | undefined;
  const actingEntities = (): readonly string[] =>
    (acting ??= tenant.zuora === undefined ? [] : [tenant.zuora, ...[...(granted ?? upstreams.zuora.tenantIds)].map(zuoraEntityKey).filter((id) => id !== tenant.zuora && mayActAs(id))]);

  return {
    keyId,
    has,
    require,
    mayActAs,
    requireActAs(entityId, argument) {
      require('zuora', argument);
      if (!mayActAs(entityId)) throw new ForbiddenError(`${argument} names Zuora entity ${shown(entityId)}, which ${who} may not act as`);
    },
    requireZuoraTenant(entityId, argument) {
      require('zuora', argument);
      const directory = upstreams.zuora.providerFor(entityId);
      if (directory !== undefined && directory !== zuoraDirectory) {
        throw new ForbiddenError(`${argument} names Zuora entity ${shown(entityId)}, which is not in the Zuora tenant ${who} acts in`);
      }
    },
    actingEntities,
    requireLinkProvider: (provider, what) => require(vendorOf(provider), what),
    requireLinkTenant(link, argument) {
      const vendor = vendorOf(link.provider);
      require(vendor, argument);
      if (link.tenant.toLowerCase() !== tenant[vendor]!.toLowerCase()) {
        throw new ForbiddenError(`${argument} is a link of ${labelOf(vendor)} ${shown(link.tenant)}, not of the one this request acts for (the Interlink-* headers choose one within the key's grant)`);
      }
    },
    cursorScope: (list) => (list === 'entities' ? (tenant.zuora ?? '') : linkVendors.map((vendor) => tenant[vendor]?.toLowerCase() ?? '').join('|')),
    linkProviders: () => [...upstreams.linkProviders.keys()].filter((provider) => has(vendorOf(provider))),
  };
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function shown(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}
