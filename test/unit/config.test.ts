import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/limits/query-limits.js';

const URLS = {
  INTERLINK_ZUORA_URL: 'https://rest.apisandbox.zuora.com',
  INTERLINK_M3TER_URL: 'https://api.m3ter.com/',
  INTERLINK_REVIO_URL: 'https://restapi.rev.io',
};

const CREDENTIALS = {
  INTERLINK_ZUORA_CLIENT_ID: '1b2c3d4e-0000-4000-8000-00000000abcd',
  INTERLINK_ZUORA_CLIENT_SECRET: 'zuora-secret-value',
  INTERLINK_ZUORA_ENTITY_IDS: '8a80825555a3c7a10155b460f53858e6, 8A808255-55A3-C7A1-0155-B460F53858E7',
  INTERLINK_M3TER_ORG_ID: '7c4a0e5e-4c6b-4f5c-9a1e-2d3b4c5d6e7f',
  INTERLINK_M3TER_ACCESS_KEY_ID: 'access-key',
  INTERLINK_M3TER_API_SECRET: 'm3ter-secret-value',
  INTERLINK_REVIO_CLIENT_CODE: 'ACME',
  INTERLINK_REVIO_LOGIN: 'api-user',
  INTERLINK_REVIO_PASSWORD: 'revio-password-value',
  INTERLINK_REVIO_SUBSCRIPTION_KEY: 'revio-subscription-key',
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

const noFile = (): string => {
  throw new Error('no file expected');
};

describe('loadConfig: query limits', () => {
  const HASH = `sha256:${'a'.repeat(64)}`;

  it('documents its defaults, takes the file, and lets the environment win', () => {
    expect(loadConfig({}, noFile).queryLimits).toEqual(DEFAULT_QUERY_LIMITS);
    const config = loadConfig({ INTERLINK_CONFIG_FILE: 'f', INTERLINK_MAX_QUERY_DEPTH: '20' }, () => JSON.stringify({ queryLimits: { maxDepth: 8, maxCost: 50_000 } }));
    expect(config.queryLimits).toEqual({ ...DEFAULT_QUERY_LIMITS, maxDepth: 20, maxCost: 50_000 });
  });

  it("keeps an API key's own limits, only the ones it names", () => {
    const key = { id: 'bulk', hash: HASH, scopes: ['read'], tenants: { revio: ['acme'] }, limits: { maxAliases: 500, deadlineMs: 60_000 } };
    const config = loadConfig({ INTERLINK_API_KEYS_FILE: 'k' }, () => JSON.stringify([key]));
    expect(config.server.apiKeys[0]!.limits).toEqual({ maxAliases: 500, deadlineMs: 60_000 });
  });

  it('refuses an API key id that a JWT caller or calls without a caller own, at start', () => {
    for (const id of ['jwt:billing-sync', 'JWT:billing-sync', '(anonymous)']) {
      const issues = issuesOf(() => loadConfig({ INTERLINK_API_KEYS_FILE: 'k' }, () => JSON.stringify([{ id, hash: HASH, scopes: ['read'], tenants: { revio: ['acme'] } }])));
      expect(issues).toEqual([expect.stringContaining('is reserved')]);
      expect(issues[0]).toContain('"jwt:"');
    }
    expect(loadConfig({ INTERLINK_API_KEYS_FILE: 'k' }, () => JSON.stringify([{ id: 'jwtish-sync', hash: HASH, scopes: ['read'], tenants: { revio: ['acme'] } }])).server.apiKeys[0]!.id).toBe('jwtish-sync');
  });

  it('refuses idempotency records kept no longer than a write holds its lease, and names both', () => {
    const issues = issuesOf(() => loadConfig({ INTERLINK_IDEMPOTENCY_TTL_MS: '60000' }));
    expect(issues).toEqual([expect.stringMatching(/INTERLINK_IDEMPOTENCY_TTL_MS must be longer than a write's lease \(120000 ms\).*got 60000/)]);
    expect(loadConfig({ INTERLINK_IDEMPOTENCY_TTL_MS: '120001' }).idempotency.ttlMs).toBe(120_001);
  });

  it('keeps clientMutationId records on disk by default; memory only when chosen', () => {
    expect(loadConfig({}).idempotency).toMatchObject({ store: 'sqlite' });
    expect(loadConfig({ INTERLINK_IDEMPOTENCY_STORE: 'memory', INTERLINK_DATA_DIR: '/var/lib/x' }).idempotency).toMatchObject({ store: 'memory', dataDir: '/var/lib/x' });
    expect(issuesOf(() => loadConfig({ INTERLINK_IDEMPOTENCY_STORE: 'disk' })).join('\n')).toMatch(/INTERLINK_IDEMPOTENCY_STORE must be one of sqlite, memory/);
  });

  it('names a bad limit in the file, in a key and in the environment', () => {
    const issues = issuesOf(() =>
      loadConfig({ INTERLINK_CONFIG_FILE: 'f', INTERLINK_MAX_VENDOR_CALLS: 'lots' }, () =>
        JSON.stringify({ queryLimits: { maxDepth: 0 }, apiKeys: [{ id: 'k', hash: HASH, scopes: ['read'], tenants: { revio: ['acme'] }, limits: { maxCost: -1, unknown: 1 } }] }),
      ),
    );
    expect(issues.join('\n')).toMatch(/INTERLINK_MAX_VENDOR_CALLS/);
    expect(issues.join('\n')).toMatch(/queryLimits\.maxDepth/);
    expect(issues.join('\n')).toMatch(/limits\.maxCost/);
    expect(issues.join('\n')).toMatch(/unknown/);
  });
});

describe('loadConfig', () => {
  it('says sandbox when no vendor URL is set', () => {
    const config = loadConfig({}, noFile);
    expect(config.mode).toBe('sandbox');
    expect(config.upstreams).toBeUndefined();
    expect(config.revioSystems).toEqual({ zuora: 'ZUORA', m3ter: 'M3TER' });
  });

  it('documents its resilience defaults', () => {
    expect(loadConfig({}, noFile).resilience).toEqual({
      retry: { maxAttempts: 3, backoffBaseMs: 250, backoffLimitMs: 2000, noiseMs: 100, maxRetryAfterMs: 5000 },
      timeouts: { attemptMs: 8000, deadlineMs: 20_000 },
      limits: { zuora: { concurrency: 40 }, m3ter: { concurrency: 20, ratePerSecond: 40 }, revio: { concurrency: 8, ratePerSecond: 8 } },
    });
  });

  it('reads one tenant per vendor from the environment, normalised and frozen', () => {
    const config = loadConfig({ ...URLS, ...CREDENTIALS, INTERLINK_REVIO_SYSTEM_ZUORA: 'ZUORA_EU', INTERLINK_REVIO_RATE_PER_SECOND: '0' }, noFile);
    expect(config.mode).toBe('upstream');
    expect(config.upstreams?.m3ter.url).toBe('https://api.m3ter.com');
    expect(config.upstreams?.zuora.tenants[0]?.entityIds).toEqual(['8a808255-55a3-c7a1-0155-b460f53858e6', '8a808255-55a3-c7a1-0155-b460f53858e7']);
    expect(config.upstreams?.revio.tenants[0]).toMatchObject({ name: 'ACME', login: 'api-user' });
    expect(config.revioSystems.zuora).toBe('ZUORA_EU');
    expect(config.resilience.limits.revio).toEqual({ concurrency: 8 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstreams?.zuora.tenants[0]?.entityIds)).toBe(true);
  });

  it('lists several tenants per vendor from INTERLINK_CONFIG_FILE, after the environment tenant', () => {
    const file = {
      zuora: { tenants: [{ name: 'eu', clientId: 'client-eu', clientSecret: 's', entityIds: ['8a80825555a3c7a10155b460f53858e9'] }] },
      m3ter: { tenants: [{ orgId: '11111111-2222-4333-8444-555555555555', accessKeyId: 'k2', apiSecret: 's2' }] },
      revio: { systemNames: { m3ter: 'M3TER_PROD' } },
      resilience: { deadlineMs: 15_000, limits: { zuora: { concurrency: 10 } } },
    };
    const config = loadConfig({ ...URLS, ...CREDENTIALS, INTERLINK_CONFIG_FILE: '/etc/interlink.json' }, (path) => {
      expect(path).toBe('/etc/interlink.json');
      return JSON.stringify(file);
    });
    expect(config.upstreams?.zuora.tenants.map((t) => t.name)).toEqual([CREDENTIALS.INTERLINK_ZUORA_CLIENT_ID, 'eu']);
    expect(config.upstreams?.m3ter.tenants[1]?.name).toBe('11111111-2222-4333-8444-555555555555');
    expect(config.revioSystems.m3ter).toBe('M3TER_PROD');
    expect(config.resilience.timeouts.deadlineMs).toBe(15_000);
    expect(config.resilience.limits.zuora.concurrency).toBe(10);
  });

  it('lets environment variables win over the file', () => {
    const config = loadConfig({ ...URLS, ...CREDENTIALS, INTERLINK_CONFIG_FILE: 'f', INTERLINK_UPSTREAM_DEADLINE_MS: '9000' }, () =>
      JSON.stringify({ zuora: { url: 'https://rest.eu.zuora.com' }, resilience: { deadlineMs: 15_000 } }),
    );
    expect(config.upstreams?.zuora.url).toBe('https://rest.apisandbox.zuora.com');
    expect(config.resilience.timeouts.deadlineMs).toBe(9000);
  });

  it('lists every bad variable at once with name, expected form and value', () => {
    const issues = issuesOf(() =>
      loadConfig(
        {
          ...URLS,
          ...CREDENTIALS,
          INTERLINK_M3TER_URL: 'api.m3ter',
          INTERLINK_ZUORA_URL: 'https://rest.zuora.com/v1',
          INTERLINK_ZUORA_ENTITY_IDS: 'not-an-id',
          INTERLINK_REVIO_LOGIN: 'me@example.com',
          INTERLINK_UPSTREAM_MAX_ATTEMPTS: '7',
          INTERLINK_M3TER_CONCURRENCY: 'lots',
        },
        noFile,
      ),
    );
    expect(issues).toEqual([
      'INTERLINK_ZUORA_URL must be an http(s) URL with scheme and host only, got "https://rest.zuora.com/v1"',
      'INTERLINK_M3TER_URL must be an http(s) URL with scheme and host only, got "api.m3ter"',
      'INTERLINK_ZUORA_ENTITY_IDS must be one or more Zuora entity ids (32 hex characters or a UUID), comma-separated, got "not-an-id"',
      'INTERLINK_REVIO_LOGIN must be a Rev.io login that is not an email address, got "me@example.com"',
      'INTERLINK_UPSTREAM_MAX_ATTEMPTS must be an integer from 1 to 3, got "7"',
      'INTERLINK_M3TER_CONCURRENCY must be an integer from 1 to 1000, got "lots"',
    ]);
  });

  it('masks secrets in its messages', () => {
    const error = (() => {
      try {
        loadConfig({ ...URLS, ...CREDENTIALS, INTERLINK_REVIO_PASSWORD: 'has a space secret' }, noFile);
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.issues).toEqual(['INTERLINK_REVIO_PASSWORD must be a Rev.io password (no spaces), got a 18-character secret (masked)']);
    expect(error.message).not.toContain('has a space secret');
  });

  it('names missing companions of a partly set tenant', () => {
    const issues = issuesOf(() => loadConfig({ ...URLS, ...CREDENTIALS, INTERLINK_M3TER_API_SECRET: '' }, noFile));
    expect(issues).toEqual([
      'INTERLINK_M3TER_API_SECRET must be an m3ter service-user API secret (no spaces) (INTERLINK_M3TER_ORG_ID, INTERLINK_M3TER_ACCESS_KEY_ID are set), got nothing',
    ]);
  });

  it('requires all three URLs once one is set, and credentials for each', () => {
    const issues = issuesOf(() => loadConfig({ INTERLINK_ZUORA_URL: URLS.INTERLINK_ZUORA_URL }, noFile));
    expect(issues).toEqual([
      expect.stringContaining('zuora has no credentials'),
      expect.stringMatching(/^INTERLINK_M3TER_URL is required once any vendor URL is set/),
      expect.stringMatching(/^INTERLINK_REVIO_URL is required once any vendor URL is set/),
    ]);
  });

  it('refuses credentials without a URL rather than silently using the sandbox', () => {
    const { INTERLINK_M3TER_ORG_ID, INTERLINK_M3TER_ACCESS_KEY_ID, INTERLINK_M3TER_API_SECRET } = CREDENTIALS;
    const issues = issuesOf(() => loadConfig({ INTERLINK_M3TER_ORG_ID, INTERLINK_M3TER_ACCESS_KEY_ID, INTERLINK_M3TER_API_SECRET }, noFile));
    expect(issues).toEqual([expect.stringMatching(/^m3ter credentials are set but INTERLINK_M3TER_URL is not/)]);
  });

  it('reports bad file entries by path, with unknown keys', () => {
    const issues = issuesOf(() =>
      loadConfig({ INTERLINK_CONFIG_FILE: 'f' }, () =>
        JSON.stringify({ m3ter: { url: 'ftp://x', tenants: [{ orgId: 'nope', accessKeyId: 'k', apiSecret: 'two words', extra: 1 }] }, bogus: true }),
      ),
    );
    expect(issues).toEqual([
      'INTERLINK_CONFIG_FILE m3ter.url must be an http(s) URL with scheme and host only, got "ftp://x"',
      'INTERLINK_CONFIG_FILE m3ter.tenants[0].orgId must be a UUID, e.g. "7c4a0e5e-4c6b-4f5c-9a1e-2d3b4c5d6e7f", got "nope"',
      'INTERLINK_CONFIG_FILE m3ter.tenants[0].apiSecret must be an m3ter service-user API secret (no spaces), got a 9-character secret (masked)',
      'INTERLINK_CONFIG_FILE m3ter.tenants[0] has unknown key extra',
      'INTERLINK_CONFIG_FILE has unknown key bogus',
    ]);
  });

  it('names the kind of a value of the wrong type, never the value, which may be a secret', () => {
    const issues = issuesOf(() => loadConfig({ INTERLINK_CONFIG_FILE: 'f' }, () => JSON.stringify({ zuora: 'client:secret', apiKeys: ['raw-api-key'] })));
    expect(issues).toEqual(['INTERLINK_CONFIG_FILE zuora must be an object, got a string', 'INTERLINK_CONFIG_FILE apiKeys[0] must be an object, got a string']);
  });

  it('reports an unreadable or invalid file', () => {
    expect(issuesOf(() => loadConfig({ INTERLINK_CONFIG_FILE: '/missing.json' }, noFile))).toEqual([
      'INTERLINK_CONFIG_FILE must name a readable JSON file, got "/missing.json", which cannot be read',
    ]);
    expect(issuesOf(() => loadConfig({ INTERLINK_CONFIG_FILE: 'x.json' }, () => '{nope'))).toEqual([
      'INTERLINK_CONFIG_FILE must name a readable JSON file, got "x.json", which is not valid JSON',
    ]);
  });

  it('rejects a deadline shorter than one attempt', () => {
    expect(issuesOf(() => loadConfig({ INTERLINK_UPSTREAM_ATTEMPT_TIMEOUT_MS: '5000', INTERLINK_UPSTREAM_DEADLINE_MS: '1000' }, noFile))).toEqual([
      'INTERLINK_UPSTREAM_DEADLINE_MS must be at least the attempt timeout (5000 ms), got 1000',
    ]);
  });

  it('rejects the same tenant twice', () => {
    const issues = issuesOf(() =>
      loadConfig({ ...URLS, ...CREDENTIALS, INTERLINK_CONFIG_FILE: 'f' }, () =>
        JSON.stringify({ revio: { tenants: [{ clientCode: 'ACME', login: 'x', password: 'p', subscriptionKey: 'k' }] } }),
      ),
    );
    expect(issues).toEqual([expect.stringContaining('revio lists clientCode "ACME" twice')]);
  });
});
