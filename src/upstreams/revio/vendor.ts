/** Rev.io's row in the vendor registry: one client and link provider per client code. */
import type { RevioTenant } from '../../config.js';
import type { RevioLinks } from '../providers.js';
import { onePerTenant, type VendorModule } from '../vendor-module.js';
import { createRevioClient } from './client.js';
import { revioLinks } from './revio-links.js';
import { REVIO_SETTINGS } from './settings.js';

export const revioVendor: VendorModule<'revio', typeof REVIO_SETTINGS, RevioLinks, RevioTenant> = {
  name: 'revio',
  settings: REVIO_SETTINGS,
  tenantLabel: 'Rev.io client',
  tenantHeader: 'interlink-revio-client',
  linkProvider: 'REVIO',
  sameTenant: (a, b) => a.toLowerCase() === b.toLowerCase(),
  tenantIdsOf: (tenant) => [tenant.clientCode],
  connect: (section, shared, config) =>
    onePerTenant({
      section,
      idOf: (tenant) => tenant.clientCode,
      client: (tenant) => createRevioClient({ ...shared, shareReads: config.server.shareVendorReads, url: section.url, tenant, systemNames: config.revioSystems }),
      provider: (client) => revioLinks(client, { bothProviders: config.revioAudit.bothProviders[client.clientCode.toLowerCase()] ?? [] }),
      probe: (links) => links.probe({ requestId: 'readyz' }),
    }),
  sandboxSection: (url, tenants) => ({ url, tenants: tenants.map((tenant) => ({ ...tenant })) }),
};
