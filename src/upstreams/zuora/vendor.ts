/**
 * Zuora's row in the vendor registry. One OAuth client may act as several entities, so tenants
 * here are entities, and every entity of one client shares its directory (the same object: the
 * grant compares them to tell "same Zuora tenant").
 */
import type { ZuoraTenant } from '../../config.js';
import type { EntityDirectory } from '../providers.js';
import type { VendorModule } from '../vendor-module.js';
import { createZuoraClient } from './client.js';
import { zuoraEntityDirectory } from './entity-directory.js';
import { zuoraEntityKey, hyphenatedZuoraId } from './entity-id-forms.js';
import { ZUORA_SETTINGS } from './settings.js';

export const zuoraVendor: VendorModule<'zuora', typeof ZUORA_SETTINGS, EntityDirectory, ZuoraTenant> = {
  name: 'zuora',
  settings: ZUORA_SETTINGS,
  tenantLabel: 'Zuora entity',
  tenantHeader: 'interlink-zuora-entity',
  sameTenant: (a, b) => zuoraEntityKey(a) === zuoraEntityKey(b),
  tenantIdsOf: (tenant) => tenant.entityIds,
  connect(section, shared, config) {
    const byEntity = new Map<string, EntityDirectory>();
    // Each client is probed once, acting as the first entity it serves.
    const probes: { directory: EntityDirectory; actingAs: string }[] = [];
    const clients = section.tenants.map((tenant) => {
      const client = createZuoraClient({ ...shared, shareReads: config.server.shareVendorReads, url: section.url, tenant: { ...tenant, entityIds: [...tenant.entityIds] } });
      const directory = zuoraEntityDirectory(client);
      // The first credential listed for an entity serves it; config order is the operator's choice.
      const served = tenant.entityIds.map(zuoraEntityKey).filter((key) => !byEntity.has(key));
      for (const key of served) byEntity.set(key, directory);
      if (served[0] !== undefined) probes.push({ directory, actingAs: served[0] });
      return client;
    });
    return {
      tenantIds: [...byEntity.keys()],
      providerFor: (entityId) => byEntity.get(zuoraEntityKey(entityId)),
      served: (entityId) => (byEntity.has(zuoraEntityKey(entityId)) ? zuoraEntityKey(entityId) : undefined),
      probe: async () => {
        await Promise.all(probes.map(({ directory, actingAs }) => directory.probe(actingAs, { requestId: 'readyz' })));
      },
      close: () => {
        for (const client of clients) client.close();
      },
    };
  },
  // Scopes and headers write entity ids hyphenated; the simulator seeds them as 32 hex.
  sandboxSection: (url, tenants) => ({ url, tenants: tenants.map((tenant) => ({ ...tenant, entityIds: tenant.entityIds.map((id) => hyphenatedZuoraId(id)) })) }),
};
