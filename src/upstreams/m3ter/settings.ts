/** m3ter's section of the configuration: one service user per organization. */
import { uuid, word } from '../../lib/config-values.js';
import { defineVendorSettings } from '../vendor-settings.js';

export const M3TER_SETTINGS = defineVendorSettings({
  name: 'm3ter',
  label: 'm3ter',
  url: { env: 'INTERLINK_M3TER_URL', example: 'https://api.m3ter.com' },
  tenant: {
    orgId: { env: 'INTERLINK_M3TER_ORG_ID', parser: uuid, description: 'm3ter organization id.' },
    accessKeyId: { env: 'INTERLINK_M3TER_ACCESS_KEY_ID', parser: word('an m3ter service-user access key id (no spaces)'), description: 'm3ter service-user access key id.' },
    apiSecret: {
      env: 'INTERLINK_M3TER_API_SECRET',
      parser: word('an m3ter service-user API secret (no spaces)', { secret: true }),
      description: 'm3ter service-user API secret.',
    },
  },
  grant: { parser: uuid, plural: 'm3ter org ids' },
  identity: 'orgId',
  limitedPer: 'm3ter org',
  vendorLimit: 'the vendor allows 50/s',
  // About 40/s per org (the org limit is 50/s); m3ter sets no concurrency limit, and 20 keeps
  // slow calls from queueing up a whole second's budget at once.
  limits: { concurrency: 20, ratePerSecond: 40 },
  sections: {},
});
