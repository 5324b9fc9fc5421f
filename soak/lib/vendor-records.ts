/**
 * The vendors' own records, read straight from the sandbox with each tenant's credentials (the
 * adapters' clients speak the vendor's wire format; nothing here goes through the gateway), so the
 * soak checks what the vendors hold, never what the gateway said it did.
 */
import type { Sandbox } from '../../sandbox/index.js';
import { createM3terClient, type M3terClient } from '../../src/upstreams/m3ter/client.js';
import { createRevioClient, type RevioClient } from '../../src/upstreams/revio/client.js';
import { createZuoraClient, type ZuoraClient } from '../../src/upstreams/zuora/client.js';
import { UpstreamNotFoundError } from '../../src/errors.js';

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
  return {
    async linkExists(provider, index, nativeId) {
      if (provider === 'REVIO') return (await revio[index]!.getKeyLink({ id: Number(nativeId), requestId })) !== undefined;
      try {
        await m3ter[index]!.getMapping({ id: nativeId, requestId });
        return true;
      } catch (error) {
        if (error instanceof UpstreamNotFoundError) return false;
        throw error;
      }
    },
    async linksWithExternalId(provider, index, externalId) {
      if (provider === 'REVIO') return (await revio[index]!.searchKeyLinks({ requestId, search: { external_id: externalId } })).length;
      const page = await m3ter[index]!.listMappingsByExternalId({ externalSystem: 'Salesforce', externalTable: 'Opportunity', externalId, requestId, pageSize: 200 });
      return page.mappings.length;
    },
    async connectionExists(index, sourceEntityId, connectionId) {
      const list = await zuora[index]!.listAllConnections({ entityId: sourceEntityId, requestId });
      return list.some((connection) => connection.id?.toLowerCase() === connectionId.toLowerCase());
    },
    close() {
      for (const client of [...m3ter, ...revio, ...zuora]) client.close();
    },
  };
}
