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
import type { EntityDirectory, LinkProvider, M3terLinks, RevioLinks, Upstreams } from '../upstreams/index.js';

export interface RequestProviders {
  /** The directory of the request's Zuora entity. */
  readonly zuora: EntityDirectory;
  /**
   * The directory to act as `entityId` (connection lists and transitions act as the entity they
   * concern): only an entity the caller may act as (see RequestGrant.mayActAs).
   */
  zuoraFor(entityId: string): EntityDirectory;
  readonly m3ter: M3terLinks;
  readonly revio: RevioLinks;
  /** The link provider of the request's tenant there. */
  links(provider: Provider): LinkProvider;
}

export function requestProviders(upstreams: Upstreams, tenant: RequestTenant, grant: RequestGrant): RequestProviders {
  const zuora = (): EntityDirectory => {
    grant.require('zuora', 'Zuora');
    return required(upstreams.zuora.providerFor(tenant.zuora!), 'Zuora entity', tenant.zuora!);
  };
  const m3ter = (): M3terLinks => {
    grant.require('m3ter', 'm3ter');
    return required(upstreams.m3ter.providerFor(tenant.m3ter!), 'm3ter org', tenant.m3ter!);
  };
  const revio = (): RevioLinks => {
    grant.require('revio', 'Rev.io');
    return required(upstreams.revio.providerFor(tenant.revio!), 'Rev.io client', tenant.revio!);
  };
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
    links: (provider) => (provider === 'M3TER' ? m3ter() : revio()),
  };
}

// resolveRequestTenant already checked these; a miss here means a tenant built by hand.
function required<T>(provider: T | undefined, what: string, id: string): T {
  if (provider === undefined) throw new ForbiddenError(`This gateway is not configured to act for ${what} ${id}`);
  return provider;
}
