/**
 * The upstream clients, built once per process from config: one client per configured tenant
 * (Zuora OAuth client, m3ter org, Rev.io client code), found by the tenant a request acts for.
 * Clients hold tokens and keep-alive sockets, so they must outlive requests; loaders, which hold
 * per-request data, are built per request on top of these.
 */
import type { Config } from '../config.js';
import type { UpstreamCallEvent } from './http.js';
import { createM3terClient, type M3terClient } from './m3ter/client.js';
import { createRevioClient, type RevioClient } from './revio/client.js';
import type { TokenFetchEvent } from './token-provider.js';
import { createZuoraClient, type ZuoraClient } from './zuora/client.js';
import type { Vendor } from './vendor.js';

export interface UpstreamListeners {
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Asked before each vendor call starts; throwing refuses it (a request's vendor-call budget). */
  beforeUpstreamCall?: (call: { vendor: Vendor; operation: string }) => void;
  onTokenFetch?: (event: TokenFetchEvent) => void;
}

export interface Upstreams {
  zuora: {
    /** The client whose credential may act as this entity (32-hex or hyphenated, any case). */
    clientFor(entityId: string): ZuoraClient | undefined;
    /** Every configured entity, as 32 lower-case hex, in config order. */
    entityIds: readonly string[];
  };
  m3ter: { clientFor(orgId: string): M3terClient | undefined; orgIds: readonly string[] };
  revio: { clientFor(clientCode: string): RevioClient | undefined; clientCodes: readonly string[] };
  /** Closes every keep-alive pool. */
  close(): void;
}

/** Zuora ids appear hyphenated in scopes and headers and as 32 hex in payloads; one key for both. */
export function zuoraEntityKey(entityId: string): string {
  return entityId.replace(/-/g, '').toLowerCase();
}

export function createUpstreams(config: Config, listeners: UpstreamListeners = {}): Upstreams {
  const upstreams = config.upstreams;
  if (!upstreams) throw new Error('createUpstreams needs vendor URLs and credentials; start the sandbox first in sandbox mode');
  const { retry, timeouts, limits } = config.resilience;
  const shared = { retry, timeouts, onUpstreamCall: listeners.onUpstreamCall, beforeUpstreamCall: listeners.beforeUpstreamCall };

  const zuoraByEntity = new Map<string, ZuoraClient>();
  const zuoraClients = upstreams.zuora.tenants.map((tenant) => {
    const client = createZuoraClient({ ...shared, url: upstreams.zuora.url, tenant: { ...tenant, entityIds: [...tenant.entityIds] }, limits: limits.zuora, onTokenFetch: listeners.onTokenFetch });
    for (const entityId of tenant.entityIds) {
      const key = zuoraEntityKey(entityId);
      // The first credential listed for an entity serves it; config order is the operator's choice.
      if (!zuoraByEntity.has(key)) zuoraByEntity.set(key, client);
    }
    return client;
  });
  const m3ter = new Map(
    upstreams.m3ter.tenants.map((tenant) => [
      tenant.orgId.toLowerCase(),
      createM3terClient({ ...shared, url: upstreams.m3ter.url, tenant, limits: limits.m3ter, onTokenFetch: listeners.onTokenFetch }),
    ]),
  );
  const revio = new Map(
    upstreams.revio.tenants.map((tenant) => [
      tenant.clientCode.toLowerCase(),
      createRevioClient({ ...shared, url: upstreams.revio.url, tenant, limits: limits.revio, systemNames: config.revioSystems }),
    ]),
  );

  return {
    zuora: { clientFor: (entityId) => zuoraByEntity.get(zuoraEntityKey(entityId)), entityIds: [...zuoraByEntity.keys()] },
    m3ter: { clientFor: (orgId) => m3ter.get(orgId.toLowerCase()), orgIds: upstreams.m3ter.tenants.map((t) => t.orgId) },
    revio: { clientFor: (code) => revio.get(code.toLowerCase()), clientCodes: upstreams.revio.tenants.map((t) => t.clientCode) },
    close: () => {
      for (const client of [...zuoraClients, ...m3ter.values(), ...revio.values()]) client.close();
    },
  };
}
