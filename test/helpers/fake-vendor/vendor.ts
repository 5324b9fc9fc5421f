/**
 * A fourth vendor, Acme, as a vendor folder would add it: its settings, a client, a provider and
 * its registry row. Acme answers `GET /accounts/{id}` with the account when the bearer token is
 * the account's (see simulator.ts).
 */
import type { TenantOf } from '../../../src/upstreams/vendor-settings.js';
import { onePerTenant, type VendorModule } from '../../../src/upstreams/vendor-module.js';
import { ACME_SETTINGS } from './settings.js';

type AcmeTenant = TenantOf<typeof ACME_SETTINGS>;

export interface AcmeAccounts {
  readonly accountId: string;
  account(call: { requestId: string }): Promise<{ id: string; name: string }>;
}

function acmeClient(url: string, tenant: AcmeTenant, onCall?: (operation: string) => void) {
  return {
    accountId: tenant.accountId,
    async getAccount(requestId: string): Promise<{ id: string; name: string }> {
      onCall?.('getAccount');
      const response = await fetch(`${url}/accounts/${encodeURIComponent(tenant.accountId)}`, { headers: { authorization: `Bearer ${tenant.token}`, 'x-request-id': requestId } });
      if (!response.ok) throw new Error(`Acme answered ${response.status}`);
      return (await response.json()) as { id: string; name: string };
    },
    close: () => undefined,
  };
}

export const acmeVendor: VendorModule<'acme', typeof ACME_SETTINGS, AcmeAccounts, AcmeTenant> = {
  name: 'acme',
  settings: ACME_SETTINGS,
  tenantLabel: 'Acme account',
  tenantHeader: 'interlink-acme-account',
  sameTenant: (a, b) => a.toLowerCase() === b.toLowerCase(),
  tenantIdsOf: (tenant) => [tenant.accountId],
  connect: (section, shared) =>
    onePerTenant({
      section,
      idOf: (tenant) => tenant.accountId,
      client: (tenant) => acmeClient(section.url, tenant, (operation) => shared.beforeUpstreamCall?.({ vendor: 'acme', operation })),
      provider: (client) => ({ accountId: client.accountId, account: ({ requestId }) => client.getAccount(requestId) }),
      probe: async (accounts) => {
        await accounts.account({ requestId: 'readyz' });
      },
    }),
  sandboxSection: (url, tenants) => ({ url, tenants: tenants.map((tenant) => ({ ...tenant })) }),
};
