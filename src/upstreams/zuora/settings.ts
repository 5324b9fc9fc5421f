/** Zuora's section of the configuration: one OAuth client per tenant, and the entities it may act as. */
import { word } from '../../lib/config-values.js';
import { zuoraEntityId, zuoraEntityIds } from './entity-id-parsers.js';
import { defineVendorSettings } from '../vendor-settings.js';

export const ZUORA_SETTINGS = defineVendorSettings({
  name: 'zuora',
  label: 'Zuora',
  url: { env: 'INTERLINK_ZUORA_URL', example: 'https://rest.zuora.com' },
  tenant: {
    // Zuora client ids are 36 characters and secrets at most 42; the caps leave room for other sites.
    clientId: { env: 'INTERLINK_ZUORA_CLIENT_ID', parser: word('a Zuora OAuth client id (no spaces)', { max: 64 }), description: 'Zuora OAuth client id.' },
    clientSecret: {
      env: 'INTERLINK_ZUORA_CLIENT_SECRET',
      parser: word('a Zuora OAuth client secret (no spaces)', { secret: true, max: 128 }),
      description: 'Zuora OAuth client secret.',
    },
    entityIds: { env: 'INTERLINK_ZUORA_ENTITY_IDS', parser: zuoraEntityIds, description: 'Comma-separated entity ids this client may act as (an array in the file).' },
  },
  grant: { parser: zuoraEntityId, plural: 'Zuora entity ids' },
  identity: 'clientId',
  limitedPer: 'Zuora entity',
  // 40 in flight per entity. No rate cap: 50,000/min per tenant is far above what 40 in flight
  // can reach; API Sandbox tenants (2,500/min) should set a rate of about 40/s.
  limits: { concurrency: 40 },
  sections: {},
});
