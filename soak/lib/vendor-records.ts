/**
 * The vendors' own records, read straight from the sandbox with each tenant's credentials (the
 * adapters' clients speak the vendor's wire format; nothing here goes through the gateway), so the
 * soak checks what the vendors hold, never what the gateway said it did.
 */
import type { Sandbox } from '../../sandbox/index.js';
import { createM3terClient, type M3terClient } from '../../src/upstreams/m3ter/client.js';
import { createRevioClient, type RevioClient } from '../../src/upstreams/revio/client.js';
import { createZuoraClient, type ZuoraClient } from '../../src/upstreams/zuora/client.js';
import { UpstreamError } from '../../src/errors.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface VendorRecords {
  /** Whether the m3ter mapping or Rev.io key link with this native id exists. */
  linkExists(provider: 'M3TER' | 'REVIO', tenantIndex: number, nativeId: string): Promise<boolean>;
  /** How many links at the provider have this external id (Salesforce records). */
  linksWithExternalId(provider: 'M3TER' | 'REVIO', tenantIndex: number, externalId: string): Promise<number>;
  /** Whether the connection is in its source entity's list. */
  connectionExists(tenantIndex: number, sourceEntityId: string, connectionId: string): Promise<boolean>;
  close(): void;
}

export function vendorRecords(sandbox: Sandbox): VendorRecords {
  const hyphenated = (id: string) => `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
  const unlimited = { concurrency: 64 };
  const m3ter: M3terClient[] = sandbox.tenants.m3ter.map((tenant) => createM3terClient({ url: sandbox.urls.m3ter, tenant, limits: unlimited }));
  const revio: RevioClient[] = sandbox.tenants.revio.map((tenant) => createRevioClient({ url: sandbox.urls.revio, tenant, limits: unlimited, systemNames: { zuora: 'ZUORA', m3ter: 'M3TER' } }));
  const zuora: ZuoraClient[] = sandbox.tenants.zuora.map((tenant) => createZuoraClient({ url: sandbox.urls.zuora, tenant: { ...tenant, entityIds: tenant.entityIds.map(hyphenated) }, limits: unlimited }));
  const requestId = 'soak-reconcile';
  // Each tenant's whole list, read once: a few pages, where a read per link would spend the
  // vendors' rate limits (Rev.io allows 500 calls a minute) on the audit.
  const once = <T>(load: () => Promise<T>) => {
    let loaded: Promise<T> | undefined;
    return () => (loaded ??= patiently(load));
  };
  const links = new Map<string, () => Promise<{ id: string; externalId: string }[]>>();
  const linksOf = (provider: 'M3TER' | 'REVIO', index: number) => {
    const key = `${provider}:${index}`;
    if (!links.has(key)) {
      links.set(
        key,
        once(async () =>
          provider === 'REVIO'
            ? (await revio[index]!.searchKeyLinks({ requestId })).map((link) => ({ id: String(link.integration_key_link_id), externalId: link.external_id }))
            : (await m3ter[index]!.listAllMappings({ requestId })).map((mapping) => ({ id: mapping.id, externalId: mapping.externalId })),
        ),
      );
    }
    return links.get(key)!();
  };
  const connections = new Map<string, () => Promise<string[]>>();
  const connectionsOf = (index: number, entityId: string) => {
    const key = `${index}:${entityId}`;
    if (!connections.has(key)) connections.set(key, once(async () => (await zuora[index]!.listAllConnections({ entityId, requestId })).map((c) => c.id?.toLowerCase() ?? '')));
    return connections.get(key)!();
  };
  return {
    linkExists: async (provider, index, nativeId) => (await linksOf(provider, index)).some((link) => link.id === nativeId),
    linksWithExternalId: async (provider, index, externalId) => (await linksOf(provider, index)).filter((link) => link.externalId === externalId).length,
    connectionExists: async (index, sourceEntityId, connectionId) => (await connectionsOf(index, sourceEntityId)).includes(connectionId.toLowerCase()),
    close() {
      for (const client of [...m3ter, ...revio, ...zuora]) client.close();
    },
  };
}

/** A read retried while the vendor says "later" (a rate limit the traffic left spent): the audit can wait. */
async function patiently<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof UpstreamError) || !error.retryable || attempt >= 5) throw error;
      await sleep(Math.min(error.retryAfterMs ?? 1_000, 60_000));
    }
  }
}
