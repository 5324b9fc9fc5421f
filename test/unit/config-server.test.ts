import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const URLS = {
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

const KEY = 'k'.repeat(43);
const HASH = hashApiKey(KEY);

const record = (overrides: Record<string, unknown> = {}) => ({
  id: 'billing-sync',
  hash: HASH,
  scopes: ['read'],
  tenants: { zuora: ['8A808255-55A3-C7A1-0155-B460F53858E6'], revio: ['ACME'] },
  ...overrides,
});

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

describe('loadConfig: server section', () => {
  it('documents its defaults, with introspection on in sandbox mode', () => {
    expect(loadConfig({}, noFile).server).toEqual({ port: 4000, host: '127.0.0.1', logLevel: 'info', introspection: true, readinessCacheMs: 2000, maxConcurrentRequests: 64, maxQueuedRequests: 1000, maxQueueWaitMs: 10_000, maxAdmittedBytes: 256 * 1024 * 1024, documentCacheBytes: 32 * 1024 * 1024, coalesceQueries: true, shareVendorReads: true, heapGrowthPercent: 150, compiledExecution: 'auto', headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, idleTimeoutMs: 120_000, keepAliveTimeoutMs: 5_000, writeStallTimeoutMs: 30_000, maxConnections: 4096, apiKeys: [] });
  });

  it('refuses a whole-request timeout that a wait for admission could use up', () => {
    expect(issuesOf(() => loadConfig({ INTERLINK_MAX_QUEUE_WAIT_MS: '30000' }, noFile))).toEqual([
      'INTERLINK_REQUEST_TIMEOUT_MS (30000) must be more than 5 s longer than INTERLINK_MAX_QUEUE_WAIT_MS (30000): a request waits for admission before its body is read',
    ]);
    expect(loadConfig({ INTERLINK_MAX_QUEUE_WAIT_MS: '30000', INTERLINK_REQUEST_TIMEOUT_MS: '40000' }, noFile).server.requestTimeoutMs).toBe(40_000);
  });

  it('reads the connection limits and refuses a timeout under 100 ms or a cap of 0', () => {
    const env = { INTERLINK_MAX_QUEUE_WAIT_MS: '1000', INTERLINK_HEADERS_TIMEOUT_MS: '2000', INTERLINK_REQUEST_TIMEOUT_MS: '7000', INTERLINK_IDLE_TIMEOUT_MS: '9000', INTERLINK_KEEP_ALIVE_TIMEOUT_MS: '0', INTERLINK_WRITE_STALL_TIMEOUT_MS: '700', INTERLINK_MAX_CONNECTIONS: '10' };
    expect(loadConfig(env, noFile).server).toMatchObject({ headersTimeoutMs: 2000, requestTimeoutMs: 7000, idleTimeoutMs: 9000, keepAliveTimeoutMs: 0, writeStallTimeoutMs: 700, maxConnections: 10 });
    expect(issuesOf(() => loadConfig({ INTERLINK_WRITE_STALL_TIMEOUT_MS: '50', INTERLINK_MAX_CONNECTIONS: '0' }, noFile))).toEqual([
      'INTERLINK_WRITE_STALL_TIMEOUT_MS must be an integer from 100 to 600000 (ms), got "50"',
      'INTERLINK_MAX_CONNECTIONS must be an integer from 1 to 1000000, got "0"',
    ]);
  });

  it('turns introspection off by default against real vendors', () => {
    expect(loadConfig(URLS, noFile).server.introspection).toBe(false);
    expect(loadConfig({ ...URLS, INTERLINK_INTROSPECTION: 'on' }, noFile).server.introspection).toBe(true);
  });

  it('reads port, host, log level, introspection and readiness cache from the environment', () => {
    const { server } = loadConfig(
      { INTERLINK_PORT: '8080', INTERLINK_HOST: '0.0.0.0', INTERLINK_LOG_LEVEL: 'DEBUG', INTERLINK_INTROSPECTION: 'false', INTERLINK_READINESS_CACHE_MS: '1000' },
      noFile,
    );
    expect(server).toMatchObject({ port: 8080, host: '0.0.0.0', logLevel: 'debug', introspection: false, readinessCacheMs: 1000 });
  });

  it('reads the heap growth cap, 0 leaving it to V8, and refuses one past 300%', () => {
    expect(loadConfig({ INTERLINK_HEAP_GROWTH_PERCENT: '0' }, noFile).server.heapGrowthPercent).toBe(0);
    expect(issuesOf(() => loadConfig({ INTERLINK_HEAP_GROWTH_PERCENT: '400' }, noFile))).toEqual(['INTERLINK_HEAP_GROWTH_PERCENT must be an integer from 0 to 300 (%), got "400"']);
  });

  it('names each bad server variable with the expected form and the value', () => {
    const issues = issuesOf(() => loadConfig({ INTERLINK_PORT: '70000', INTERLINK_LOG_LEVEL: 'loud', INTERLINK_INTROSPECTION: 'maybe', INTERLINK_HOST: 'two words' }, noFile));
    expect(issues).toEqual([
      'INTERLINK_PORT must be an integer from 0 to 65535, got "70000"',
      'INTERLINK_HOST must be a host name or IP address to listen on (no spaces), got "two words"',
      'INTERLINK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'INTERLINK_INTROSPECTION must be true or false (also on/off, yes/no, 1/0), got "maybe"',
    ]);
  });

  it('reads API keys from the config file and from INTERLINK_API_KEYS_FILE, normalised', () => {
    const files: Record<string, string> = {
      '/etc/interlink.json': JSON.stringify({ server: { port: 9000 }, apiKeys: [record()] }),
      '/run/secrets/keys.json': JSON.stringify([record({ id: 'ops', hash: hashApiKey('other-key').toUpperCase().replace('SHA256', 'sha256'), scopes: ['read', 'write', 'read'], tenants: { m3ter: ['7C4A0E5E-4C6B-4F5C-9A1E-2D3B4C5D6E7F'] } })]),
    };
    const { server } = loadConfig({ INTERLINK_CONFIG_FILE: '/etc/interlink.json', INTERLINK_API_KEYS_FILE: '/run/secrets/keys.json' }, (path) => files[path] ?? noFile());
    expect(server.port).toBe(9000);
    expect(server.apiKeys).toEqual([
      { id: 'billing-sync', hash: HASH, scopes: ['read'], tenants: { zuora: ['8a808255-55a3-c7a1-0155-b460f53858e6'], m3ter: [], revio: ['ACME'] } },
      { id: 'ops', hash: hashApiKey('other-key'), scopes: ['read', 'write'], tenants: { zuora: [], m3ter: ['7c4a0e5e-4c6b-4f5c-9a1e-2d3b4c5d6e7f'], revio: [] } },
    ]);
    expect(Object.isFrozen(server.apiKeys[0]?.tenants.zuora)).toBe(true);
  });

  it('reports bad API key records by path, masking the hash field', () => {
    const issues = issuesOf(() =>
      loadConfig({ INTERLINK_API_KEYS_FILE: 'keys.json' }, () =>
        JSON.stringify([record({ hash: KEY, scopes: ['admin'], tenants: { zuora: ['nope'], salesforce: [] } }), record({ id: 'x', extra: 1 })]),
      ),
    );
    expect(issues).toEqual([
      `INTERLINK_API_KEYS_FILE [0].hash must be "sha256:" followed by the 64 hex digits of the key's SHA-256 (never the key itself), got a 43-character secret (masked)`,
      'INTERLINK_API_KEYS_FILE [0].scopes must be a non-empty array of scopes ("read", "write"), got ["admin"]',
      'INTERLINK_API_KEYS_FILE [0].tenants.zuora[0] must be a Zuora entity id (32 hex characters or a UUID), got "nope"',
      'INTERLINK_API_KEYS_FILE [0].tenants has unknown key salesforce',
      'INTERLINK_API_KEYS_FILE [1] has unknown key extra',
    ]);
    expect(issues.join('\n')).not.toContain(KEY);
  });

  it('refuses duplicate ids, shared hashes and keys that grant nothing', () => {
    const issues = issuesOf(() =>
      loadConfig({ INTERLINK_CONFIG_FILE: 'c.json', INTERLINK_API_KEYS_FILE: 'k.json' }, (path) =>
        path === 'c.json' ? JSON.stringify({ apiKeys: [record()] }) : JSON.stringify([record(), record({ id: 'empty', hash: hashApiKey('e'), tenants: {} })]),
      ),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^API key id "billing-sync" is listed more than once/),
      'API key "billing-sync" has the same hash as another key; give each caller its own key',
      'API key "empty" grants no tenant: list Zuora entity ids, m3ter org ids or Rev.io client codes under tenants',
    ]);
  });

  it('reports an unreadable API keys file', () => {
    expect(issuesOf(() => loadConfig({ INTERLINK_API_KEYS_FILE: '/missing' }, noFile))).toEqual([
      'INTERLINK_API_KEYS_FILE must name a readable JSON file, got "/missing", which cannot be read',
    ]);
  });
});
