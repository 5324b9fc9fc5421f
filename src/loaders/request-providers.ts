/**
 * The vendor providers one request may use, chosen by its tenant. Every loader and mutation goes
 * through these, so no call can reach a tenant the request does not act for. A vendor where the
 * caller's key grants nothing has no provider: reaching for it throws `FORBIDDEN`, so only the
 * fields that need that vendor fail.
 */
import type { RequestGrant } from '../authorization/request-grant.js';
import { ForbiddenError } from '../errors.js';
import type { Provider } from '../models.js';
import type { RequestTenant } from '../request-tenant.js';
import type { EntityDirectory, LinkProvider, M3terLinks, RevioLinks, Upstreams, Vendor } from '../upstreams/index.js';

export interface RequestProviders {
  /** The directory of the request's Zuora entity. */
  readonly zuora: EntityDirectory;
  /**
   * The directory to act as `entityId` (connection lists and transitions act as the entity they
   * concern): only an entity the caller may act as (see RequestGrant.mayActAs).
   */
  zuoraFor(entityId: string): EntityDirectory;
  /** m3ter's own features (mapping configuration, linkEverywhere's m3ter part). */
  readonly m3ter: M3terLinks;
  /** Rev.io's own features (catalog, linkEverywhere's Rev.io part). */
  readonly revio: RevioLinks;
  /** Every link provider the gateway has (granted or not), in registry order: the order merged lists follow. */
  readonly linkProviders: readonly Provider[];
  /** The link provider of the request's tenant there. */
  links(provider: Provider): LinkProvider;
}

export function requestProviders(upstreams: Upstreams, tenant: RequestTenant, grant: RequestGrant): RequestProviders {
  const zuora = (): EntityDirectory => {
    grant.require('zuora', 'Zuora');
    return required(upstreams.zuora.providerFor(tenant.zuora!), 'Zuora entity', tenant.zuora!);
  };
  const links = (provider: Provider): LinkProvider => {
    const vendor = upstreams.linkProviders.get(provider);
    // Provider values come from the schema's enum; one no row declares is a build without that vendor.
    if (vendor === undefined) throw new Error(`no vendor of this gateway serves link provider ${provider}`);
    const name = vendor.module.name as Vendor;
    grant.require(name, vendorTitle(vendor.module.tenantLabel));
    return required(vendor.connected.providerFor(tenant[name]!), vendor.module.tenantLabel, tenant[name]!);
  };
  const m3ter = (): M3terLinks => links('M3TER') as M3terLinks;
  const revio = (): RevioLinks => links('REVIO') as RevioLinks;
  return {
    get zuora() {
      return zuora();
    },
    zuoraFor(entityId) {
      // Loaders and resolvers check arguments first; this is the last line, before any socket.
      grant.requireActAs(entityId, 'entity');
      return zuora();
    },
    get m3ter() {
      return m3ter();
    },
    get revio() {
      return revio();
    },
    linkProviders: [...upstreams.linkProviders.keys()],
    links,
  };
}

/** The vendor as a message names it: its tenant label without the tenant word (`Rev.io client` → `Rev.io`). */
const vendorTitle = (tenantLabel: string): string => tenantLabel.replace(/\s+\S+$/, '');

// resolveRequestTenant already checked these; a miss here means a tenant built by hand.
function required<T>(provider: T | undefined, what: string, id: string): T {
  if (provider === undefined) throw new ForbiddenError(`This gateway is not configured to act for ${what} ${id}`);
  return provider;
}
