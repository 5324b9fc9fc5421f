import { describe, expect, it } from 'vitest';
import { settingsTable } from '../../scripts/generate-settings-table.js';
import { loadConfig, VENDOR_SETTINGS } from '../../src/config.js';
import { setting } from '../../src/config/setting.js';
import { ConfigError } from '../../src/errors.js';
import { word } from '../../src/lib/config-values.js';
import { VENDOR_REGISTRY } from '../../src/upstreams/index.js';
import { defineVendorSettings } from '../../src/upstreams/vendor-settings.js';

/** A fourth vendor, declared only here: its descriptor is all configuration needs. */
const ACME = defineVendorSettings({
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
  limits: { concurrency: 5, ratePerSecond: 10 },
  sections: {
    acmeRegion: {
      region: setting({ env: 'INTERLINK_ACME_REGION', file: 'acme.region', parser: word('an Acme region (no spaces)'), default: 'eu', description: 'Acme data region.' }),
    },
  },
});

const WITH_ACME = [...VENDOR_SETTINGS, ACME] as const;

const REAL = {
  INTERLINK_ZUORA_URL: 'https://rest.apisandbox.zuora.com',
  INTERLINK_M3TER_URL: 'https://api.m3ter.com',
  INTERLINK_REVIO_URL: 'https://restapi.rev.io',
  INTERLINK_ZUORA_CLIENT_ID: 'client',
  INTERLINK_ZUORA_CLIENT_SECRET: 'secret',
  INTERLINK_ZUORA_ENTITY_IDS: '8a80825555a3c7a10155b460f53858e6',
  INTERLINK_M3TER_ORG_ID: '7c4a0e5e-4c6b-4f5c-9a1e-2d3b4c5d6e7f',
  INTERLINK_M3TER_ACCESS_KEY_ID: 'access-key',
  INTERLINK_M3TER_API_SECRET: 'm3ter-secret',
  INTERLINK_REVIO_CLIENT_CODE: 'ACME',
  INTERLINK_REVIO_LOGIN: 'api-user',
  INTERLINK_REVIO_PASSWORD: 'revio-password',
  INTERLINK_REVIO_SUBSCRIPTION_KEY: 'revio-subscription-key',
};

const ACME_ENV = { INTERLINK_ACME_URL: 'https://api.acme.test/', INTERLINK_ACME_ACCOUNT_ID: 'acct-1', INTERLINK_ACME_TOKEN: 'token-1' };

const noFile = (): string => {
  throw new Error('no file expected');
};

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('vendor settings', () => {
  it('describes each vendor once, in the order of the registry', () => {
    expect(VENDOR_SETTINGS.map((vendor) => vendor.name)).toEqual(VENDOR_REGISTRY.map((row) => row.name));
  });
});

describe('loadConfig: a vendor added by its descriptor alone', () => {
  it('reads its URL, tenants, limits and own settings from the environment and the file', () => {
    const file = { acme: { region: 'us', tenants: [{ accountId: 'acct-2', token: 'token-2' }] }, resilience: { limits: { acme: { concurrency: 2 } } } };
    const config = loadConfig({ ...REAL, ...ACME_ENV, INTERLINK_CONFIG_FILE: 'f', INTERLINK_ACME_RATE_PER_SECOND: '0' }, () => JSON.stringify(file), WITH_ACME);
    expect(config.upstreams?.acme).toEqual({
      url: 'https://api.acme.test',
      tenants: [
        { name: 'acct-1', accountId: 'acct-1', token: 'token-1' },
        { name: 'acct-2', accountId: 'acct-2', token: 'token-2' },
      ],
    });
    expect(config.resilience.limits.acme).toEqual({ concurrency: 2 });
    expect(config.acmeRegion.region).toBe('us');
    // The real vendors are read as before.
    expect(config.upstreams?.zuora.tenants[0]?.entityIds).toEqual(['8a808255-55a3-c7a1-0155-b460f53858e6']);
    expect(config.revioSystems).toEqual({ zuora: 'ZUORA', m3ter: 'M3TER' });
  });

  it('takes its defaults from the descriptor', () => {
    const config = loadConfig({}, noFile, WITH_ACME);
    expect(config.mode).toBe('sandbox');
    expect(config.resilience.limits.acme).toEqual({ concurrency: 5, ratePerSecond: 10 });
    expect(config.acmeRegion).toEqual({ region: 'eu' });
  });

  it('validates its section of the file with the same messages, secrets masked', () => {
    const issues = issuesOf(() =>
      loadConfig({ INTERLINK_CONFIG_FILE: 'f' }, () => JSON.stringify({ acme: { url: 'ftp://acme', region: 'two words', tenants: [{ accountId: 'a', token: 'has space' }], extra: 1 } }), WITH_ACME),
    );
    expect(issues).toEqual([
      'INTERLINK_CONFIG_FILE acme.url must be an http(s) URL with scheme and host only, got "ftp://acme"',
      'INTERLINK_CONFIG_FILE acme.tenants[0].token must be an Acme API token (no spaces), got a 9-character secret (masked)',
      'INTERLINK_CONFIG_FILE acme.region must be an Acme region (no spaces), got "two words"',
      'INTERLINK_CONFIG_FILE acme has unknown key extra',
    ]);
  });

  it('joins the cross-checks: every URL or none, credentials with their URL, no tenant twice', () => {
    expect(issuesOf(() => loadConfig(REAL, noFile, WITH_ACME))).toEqual([
      'INTERLINK_ACME_URL is required once any vendor URL is set (INTERLINK_ZUORA_URL, INTERLINK_M3TER_URL, INTERLINK_REVIO_URL); set all four, or none to use the embedded sandbox',
    ]);
    expect(issuesOf(() => loadConfig({ INTERLINK_ACME_ACCOUNT_ID: 'a' }, noFile, WITH_ACME))).toEqual([
      'INTERLINK_ACME_TOKEN must be an Acme API token (no spaces) (INTERLINK_ACME_ACCOUNT_ID is set), got nothing',
      'acme credentials are set but INTERLINK_ACME_URL is not: set the URL, or remove the credentials to use the embedded sandbox',
    ]);
    const twice = issuesOf(() =>
      loadConfig({ ...REAL, ...ACME_ENV, INTERLINK_CONFIG_FILE: 'f' }, () => JSON.stringify({ acme: { tenants: [{ accountId: 'acct-1', token: 't' }] } }), WITH_ACME),
    );
    expect(twice).toEqual(['acme lists accountId "acct-1" twice (environment and INTERLINK_CONFIG_FILE together)']);
  });

  it('gets its rows in the settings table', () => {
    const table = settingsTable(WITH_ACME);
    expect(table).toContain('| `INTERLINK_ACME_URL` | `acme.url` | none (sandbox) | Acme base URL, e.g. `https://api.acme.test`.');
    expect(table).toContain('| `INTERLINK_ACME_TOKEN` | `acme.tenants[].token` | none | Acme API token. Secret: messages show only its length. |');
    expect(table).toContain('| `INTERLINK_ACME_CONCURRENCY` | `resilience.limits.acme.concurrency` | `5` |');
  });

  it('is not read unless passed', () => {
    expect(loadConfig({ ...REAL, ...ACME_ENV }, noFile).upstreams).not.toHaveProperty('acme');
  });
});
