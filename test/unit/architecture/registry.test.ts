/**
 * The vendor registry is the one list of vendors: its rows match the vendor folders, and a fourth
 * vendor (test/helpers/fake-vendor/: its folder and one row) is read from config, connected,
 * chosen per request from its header, probed by /readyz and pointed at its simulator in sandbox
 * mode, without any other change.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/callers/caller.js';
import { loadConfig } from '../../../src/config.js';
import { ForbiddenError } from '../../../src/errors.js';
import { readinessProbes } from '../../../src/http/readiness-probes.js';
import { createRequestGrant } from '../../../src/authorization/request-grant.js';
import { requestProviders } from '../../../src/loaders/request-providers.js';
import type { Provider } from '../../../src/models.js';
import { resolveRequestTenant } from '../../../src/request-tenant.js';
import { withSandboxUpstreams } from '../../../src/sandbox-mode.js';
import { createUpstreams, LINK_PROVIDERS, linkProvidersOf, VENDOR_REGISTRY, type Upstreams } from '../../../src/upstreams/index.js';
import { acmeVendor, type AcmeAccounts } from '../../helpers/fake-vendor/vendor.js';
import { startAcmeSimulator, type AcmeSimulator } from '../../helpers/fake-vendor/simulator.js';
import { withSandbox } from '../../helpers/with-sandbox.js';

const UPSTREAMS = join(import.meta.dirname, '../../../src/upstreams');
const SCHEMA = join(import.meta.dirname, '../../../schema');

/** The values of the schema's `enum Provider`, descriptions and comments left out. */
function schemaProviderValues(): string[] {
  const sdl = readdirSync(SCHEMA, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(join(SCHEMA, file), 'utf8'))
    .join('\n');
  const body = /\benum\s+Provider\s*(?:@[^{]*)?\{([^}]*)\}/.exec(sdl)?.[1];
  if (body === undefined) throw new Error('no enum Provider in schema/');
  return body
    .replace(/"""[\s\S]*?"""/g, '')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '')
    .replace(/#.*$/gm, '')
    .split(/\s+/)
    .filter((word) => /^[A-Z_][A-Z0-9_]*$/.test(word));
}

describe('the vendor registry', () => {
  it('has one row per vendor folder, named as its folder and its config section', () => {
    const folders = readdirSync(UPSTREAMS, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(UPSTREAMS, entry.name, 'vendor.ts')))
      .map((entry) => entry.name);
    expect(VENDOR_REGISTRY.map((row) => row.name).sort()).toEqual(folders.sort());
    for (const row of VENDOR_REGISTRY) expect(row.settings.name).toBe(row.name);
    expect(new Set(VENDOR_REGISTRY.map((row) => row.tenantHeader)).size).toBe(VENDOR_REGISTRY.length);
  });

  it('lists as link providers exactly the rows that declare one, in registry order', () => {
    const declared = VENDOR_REGISTRY.flatMap((row) => ('linkProvider' in row && row.linkProvider !== undefined ? [row.linkProvider] : []));
    expect(LINK_PROVIDERS).toEqual(declared);
    expect(LINK_PROVIDERS).toEqual(['M3TER', 'REVIO']);
    expect(new Set(LINK_PROVIDERS).size).toBe(LINK_PROVIDERS.length);
  });

  it('lists as link providers exactly the values of the schema\'s Provider enum', () => {
    expect([...LINK_PROVIDERS].sort()).toEqual(schemaProviderValues().sort());
  });
});

describe('a fourth vendor added as one folder and one row', () => {
  const registry = [...VENDOR_REGISTRY, acmeVendor] as const;
  const sandbox = withSandbox({ reset: false });
  let acme: AcmeSimulator;
  let upstreams: Upstreams;
  const calls: string[] = [];

  let connectWith: (rows: typeof registry) => Upstreams;

  beforeAll(async () => {
    acme = await startAcmeSimulator();
    const config = loadConfig({}, () => '', registry.map((row) => row.settings));
    expect(config.mode).toBe('sandbox');
    const endpoints = { urls: { ...sandbox.urls, acme: acme.url }, tenants: { ...sandbox.tenants, acme: acme.tenants } };
    connectWith = (rows) => createUpstreams(withSandboxUpstreams(config, endpoints, rows), { beforeUpstreamCall: ({ vendor, operation }) => void calls.push(`${vendor} ${operation}`) }, rows);
    upstreams = connectWith(registry);
  });
  afterAll(async () => {
    upstreams?.close();
    await acme?.close();
  });

  it('reads its section from the environment like any vendor, secrets masked', () => {
    const env = { INTERLINK_ACME_URL: 'https://api.acme.test', INTERLINK_ACME_ACCOUNT_ID: 'acc-9' };
    expect(() => loadConfig(env, () => '', registry.map((row) => row.settings))).toThrow(/INTERLINK_ACME_TOKEN must be an Acme API token/);
  });

  it('is connected with the others, in registry order', async () => {
    expect(upstreams.vendors.map(({ module }) => module.name)).toEqual(['zuora', 'm3ter', 'revio', 'acme']);
    const connected = upstreams.vendors.find(({ module }) => module.name === 'acme')!.connected;
    expect(connected.tenantIds).toEqual(['acc-1', 'acc-2']);
    const accounts = connected.providerFor('ACC-2') as AcmeAccounts;
    expect(await accounts.account({ requestId: 'r1' })).toEqual({ id: 'acc-2', name: 'Acme Two' });
    expect(calls).toContain('acme getAccount');
  });

  it('takes its tenant from its own header, within the key grant', () => {
    expect(resolveRequestTenant({}, upstreams).acme).toBe('acc-1');
    expect(resolveRequestTenant({ 'interlink-acme-account': 'ACC-2' }, upstreams).acme).toBe('acc-2');
    expect(() => resolveRequestTenant({ 'interlink-acme-account': 'acc-9' }, upstreams)).toThrow(ForbiddenError);
    // A key that names nothing at Acme acts for nobody there, whatever the header says.
    const caller = { keyId: 'k', scopes: ['read'], tenants: { zuora: [], m3ter: [], revio: ['acmetel'] } } as unknown as Caller;
    expect(resolveRequestTenant({}, upstreams, caller).acme).toBeUndefined();
    expect(() => resolveRequestTenant({ 'interlink-acme-account': 'acc-1' }, upstreams, caller)).toThrow(/grants no Acme account/);
  });

  it('is granted by API keys in its own id form, like any vendor', () => {
    const record = { id: 'acme-only', hash: `sha256:${'a'.repeat(64)}`, scopes: ['read'], tenants: { acme: ['ACC-2'] } };
    const config = loadConfig({ INTERLINK_API_KEYS_FILE: 'keys.json' }, () => JSON.stringify([record]), registry.map((row) => row.settings));
    const [key] = config.server.apiKeys;
    expect(key?.tenants).toEqual({ zuora: [], m3ter: [], revio: [], acme: ['ACC-2'] });
    const caller = { keyId: key!.id, scopes: key!.scopes, tenants: key!.tenants } as Caller;
    expect(resolveRequestTenant({}, upstreams, caller)).toEqual({ acme: 'acc-2' });
    const bad = { ...record, tenants: { acme: ['has space'] } };
    expect(() => loadConfig({ INTERLINK_API_KEYS_FILE: 'keys.json' }, () => JSON.stringify([bad]), registry.map((row) => row.settings))).toThrow(/tenants\.acme\[0\] must be an Acme account id/);
  });

  it('serves no links unless its row declares a link provider', () => {
    expect([...upstreams.linkProviders.keys()]).toEqual(['M3TER', 'REVIO']);
    expect(linkProvidersOf(registry)).toEqual(['M3TER', 'REVIO']);
  });

  it('joins the merged link lists, grants and cursor scopes when its row declares a link provider, with no shared file changed', () => {
    // The schema's enum would gain ACME with a real vendor; the row alone is what the shared code reads.
    const linking = [...VENDOR_REGISTRY, { ...acmeVendor, linkProvider: 'ACME' as Provider }] as const;
    expect(linkProvidersOf(linking)).toEqual(['M3TER', 'REVIO', 'ACME']);
    const linked = connectWith(linking);
    try {
      expect([...linked.linkProviders.keys()]).toEqual(['M3TER', 'REVIO', 'ACME']);
      expect(linked.linkProviders.get('ACME' as Provider)?.module.name).toBe('acme');
      expect(linked.linkProviderFor('ACME' as Provider, 'ACC-2')).toBe(linked.vendors.find(({ module }) => module.name === 'acme')!.connected.providerFor('acc-2'));
      const tenant = resolveRequestTenant({ 'interlink-acme-account': 'acc-2' }, linked);
      const grant = createRequestGrant(linked, tenant);
      expect(grant.linkProviders()).toEqual(['M3TER', 'REVIO', 'ACME']);
      expect(grant.cursorScope('links').split('|')).toEqual([tenant.m3ter!.toLowerCase(), tenant.revio!.toLowerCase(), 'acc-2']);
      // Query.externalLinks pages the request's link providers in this order.
      expect(requestProviders(linked, tenant, grant).linkProviders).toEqual(['M3TER', 'REVIO', 'ACME']);
      // A key with no Acme grant is refused there by its tenant label, like any vendor.
      const withoutAcme = createRequestGrant(linked, { ...tenant, acme: undefined });
      expect(withoutAcme.linkProviders()).toEqual(['M3TER', 'REVIO']);
      expect(() => requestProviders(linked, { ...tenant, acme: undefined }, withoutAcme).links('ACME' as Provider)).toThrow(/has no Acme account in its grant, so Acme is not available/);
    } finally {
      linked.close();
    }
  });

  it('is probed by /readyz: one authenticated read per tenant', async () => {
    const probes = readinessProbes(upstreams);
    expect(Object.keys(probes)).toEqual(['zuora', 'm3ter', 'revio', 'acme']);
    acme.log.length = 0;
    await probes.acme!();
    expect(acme.log.sort()).toEqual(['GET /accounts/acc-1 200', 'GET /accounts/acc-2 200']);
  });
});
