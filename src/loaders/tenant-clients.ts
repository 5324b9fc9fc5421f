/**
 * The vendor clients one request may use, chosen by its tenant. Every loader and mutation goes
 * through these, so no call can reach a tenant the request does not act for.
 */
import { ForbiddenError } from '../errors.js';
import type { RequestTenant } from '../request-tenant.js';
import type { Upstreams } from '../upstreams/index.js';
import { zuoraEntityKey } from '../upstreams/index.js';
import type { M3terClient } from '../upstreams/m3ter/client.js';
import type { RevioClient } from '../upstreams/revio/client.js';
import type { ZuoraClient } from '../upstreams/zuora/client.js';

export interface TenantClients {
  /** The client of the request's Zuora entity. */
  zuora: ZuoraClient;
  /**
   * The client to act as `entityId` (connection lists and transitions act as the entity they
   * concern). Only entities served by the request's own Zuora credential: another credential
   * would be another tenant.
   */
  zuoraFor(entityId: string): ZuoraClient;
  m3ter: M3terClient;
  revio: RevioClient;
}

export function tenantClients(upstreams: Upstreams, tenant: RequestTenant): TenantClients {
  const zuora = required(upstreams.zuora.clientFor(tenant.zuoraEntityId), 'Zuora entity', tenant.zuoraEntityId);
  return {
    zuora,
    zuoraFor(entityId) {
      if (upstreams.zuora.clientFor(entityId) !== zuora) {
        throw new ForbiddenError(`Zuora entity ${zuoraEntityKey(entityId).slice(0, 64)} is not in the Zuora tenant this request acts for`);
      }
      return zuora;
    },
    m3ter: required(upstreams.m3ter.clientFor(tenant.m3terOrgId), 'm3ter org', tenant.m3terOrgId),
    revio: required(upstreams.revio.clientFor(tenant.revioClientCode), 'Rev.io client', tenant.revioClientCode),
  };
}

// resolveRequestTenant already checked these; a miss here means a tenant built by hand.
function required<T>(client: T | undefined, what: string, id: string): T {
  if (client === undefined) throw new ForbiddenError(`This gateway is not configured to act for ${what} ${id}`);
  return client;
}
