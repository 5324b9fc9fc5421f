/** Acme's section of the configuration: one API token per account. */
import { word } from '../../../src/lib/config-values.js';
import { defineVendorSettings } from '../../../src/upstreams/vendor-settings.js';

export const ACME_SETTINGS = defineVendorSettings({
  name: 'acme',
  label: 'Acme',
  url: { env: 'INTERLINK_ACME_URL', example: 'https://api.acme.test' },
  tenant: {
    accountId: { env: 'INTERLINK_ACME_ACCOUNT_ID', parser: word('an Acme account id (no spaces)'), description: 'Acme account id.' },
    token: { env: 'INTERLINK_ACME_TOKEN', parser: word('an Acme API token (no spaces)', { secret: true }), description: 'Acme API token.' },
  },
  grant: { parser: word('an Acme account id (no spaces)'), plural: 'Acme account ids' },
  identity: 'accountId',
  limitedPer: 'Acme account',
  limits: { concurrency: 4 },
  sections: {},
});
