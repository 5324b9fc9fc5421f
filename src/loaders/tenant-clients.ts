/**
 * The vendor clients one request may use, chosen by its tenant. Every loader and mutation goes
 * through these, so no call can reach a tenant the request does not act for. A vendor where the
 * caller's key grants nothing has no client: reaching for it throws `FORBIDDEN`, so only the
 * fields that need that vendor fail.
 */
import type { RequestGrant } from '../authorization/request-grant.js';
import { ForbiddenError } from '../errors.js';
import type { RequestTenant } from '../request-tenant.js';
import type { Upstreams } from '../upstreams/index.js';
import type { M3terClient } from '../upstreams/m3ter/client.js';
import type { RevioClient } from '../upstreams/revio/client.js';
import type { ZuoraClient } from '../upstreams/zuora/client.js';

export interface TenantClients {
  /** The client of the request's Zuora entity. */
  readonly zuora: ZuoraClient;
  /**
   * The client to act as `entityId` (connection lists and transitions act as the entity they
   * concern): only an entity the caller may act as (see RequestGrant.mayActAs).
   */
  zuoraFor(entityId: string): ZuoraClient;
  readonly m3ter: M3terClient;
  readonly revio: RevioClient;
}

export function tenantClients(upstreams: Upstreams, tenant: RequestTenant, grant: RequestGrant): TenantClients {
  const zuora = (): ZuoraClient => {
    grant.require('zuora', 'Zuora');
    return required(upstreams.zuora.clientFor(tenant.zuoraEntityId!), 'Zuora entity', tenant.zuoraEntityId!);
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
      grant.require('m3ter', 'm3ter');
      return required(upstreams.m3ter.clientFor(tenant.m3terOrgId!), 'm3ter org', tenant.m3terOrgId!);
    },
    get revio() {
      grant.require('revio', 'Rev.io');
      return required(upstreams.revio.clientFor(tenant.revioClientCode!), 'Rev.io client', tenant.revioClientCode!);
    },
  };
}

// resolveRequestTenant already checked these; a miss here means a tenant built by hand.
function required<T>(client: T | undefined, what: string, id: string): T {
  if (client === undefined) throw new ForbiddenError(`This gateway is not configured to act for ${what} ${id}`);
  return client;
}
