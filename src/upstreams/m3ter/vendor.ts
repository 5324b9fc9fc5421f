/** m3ter's row in the vendor registry: one client and link provider per org. */
import type { M3terTenant } from '../../config.js';
import type { M3terLinks } from '../providers.js';
import { onePerTenant, type VendorModule } from '../vendor-module.js';
import { createM3terClient } from './client.js';
import { m3terLinks } from './m3ter-links.js';
import { M3TER_SETTINGS } from './settings.js';

export const m3terVendor: VendorModule<'m3ter', typeof M3TER_SETTINGS, M3terLinks, M3terTenant> = {
  name: 'm3ter',
  settings: M3TER_SETTINGS,
  tenantLabel: 'm3ter org',
  tenantHeader: 'interlink-m3ter-org',
  linkProvider: 'M3TER',
  sameTenant: (a, b) => a.toLowerCase() === b.toLowerCase(),
  tenantIdsOf: (tenant) => [tenant.orgId],
  connect: (section, shared, config) =>
    onePerTenant({
      section,
      idOf: (tenant) => tenant.orgId,
      client: (tenant) => createM3terClient({ ...shared, shareReads: config.server.shareVendorReads, url: section.url, tenant }),
      provider: m3terLinks,
      probe: (links) => links.probe({ requestId: 'readyz' }),
    }),
  sandboxSection: (url, tenants) => ({ url, tenants: tenants.map((tenant) => ({ ...tenant })) }),
};
