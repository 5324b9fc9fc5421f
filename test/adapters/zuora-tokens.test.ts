import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withSandbox } from '../helpers/with-sandbox.js';
import { closeClients, makeClient, sleep, tenantConfig, tenantFixture, tokenCalls, zuoraEntries, type TenantFixture } from '../helpers/vendors/zuora.js';

const sandbox = withSandbox();
let tenant: TenantFixture;

beforeAll(async () => {
  tenant = tenantFixture(sandbox, 0);
});
afterEach(closeClients);

/** `n` concurrent reads spread over the tenant's entities. */
function burst(client: ReturnType<typeof makeClient>['client'], n: number) {
  const entities = tenant.fixture.entities.map((e) => e.id);
  return Promise.all(Array.from({ length: n }, (_, i) => client.listEntities({ entityId: entities[i % entities.length]!, requestId: `burst-${i}` })));
}

describe('Zuora client: the token call', () => {
  it('sends the credentials as a form body, with no entity header and no Authorization', async () => {
    const { client, tokenFetches } = makeClient(sandbox, tenantConfig(tenant.admin));
    const mark = sandbox.ledger.mark;
    await client.listEntities({ entityId: tenant.rootId });
    const [token] = zuoraEntries(sandbox, mark, '/oauth/token');
    expect(token?.status).toBe(200);
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token?.headers).not.toHaveProperty('zuora-entity-ids');
    expect(token?.headers).not.toHaveProperty('entityid');
    expect(token?.query).toEqual({});
    // The event names the credential by its label, not by id or secret.
    expect(tokenFetches).toEqual([expect.objectContaining({ vendor: 'zuora', credential: tenant.admin.label, ok: true })]);
  });
});

describe('Zuora client: token cache under concurrency', () => {
  it('fetches one token for 100 concurrent calls with a cold cache', async () => {
    const { client, tokenFetches } = makeClient(sandbox, tenantConfig(tenant.admin));
    const results = await burst(client, 100);
    expect(results).toHaveLength(100);
    expect(tokenCalls(sandbox)).toBe(1);
    expect(tokenFetches).toHaveLength(1);
    expect(sandbox.ledger.count({ vendor: 'zuora', path: '/v1/', status: 200 })).toBe(100);
  });

  it('keeps one token per credential: two clients of two tenants fetch one each', async () => {
    const other = tenantFixture(sandbox, 1);
    const a = makeClient(sandbox, tenantConfig(tenant.admin)).client;
    const b = makeClient(sandbox, tenantConfig(other.admin)).client;
    await Promise.all([burst(a, 50), ...Array.from({ length: 50 }, () => b.listEntities({ entityId: other.rootId }))]);
    expect(tokenCalls(sandbox)).toBe(2);
  });
});

describe('Zuora client: token expiry', () => {
  it('refreshes once before expiry on its own clock and never sends an expired token', async () => {
    let skewMs = 0;
    const { client } = makeClient(sandbox, tenantConfig(tenant.admin), { now: () => Date.now() + skewMs });
    await burst(client, 100);
    // 3350 s of 3599: past the refresh point (300 s before expiry), not yet expired upstream.
    sandbox.advanceClock(3_350_000);
    skewMs = 3_350_000;
    await burst(client, 100);
    expect(tokenCalls(sandbox)).toBe(2);
    expect(sandbox.ledger.count({ vendor: 'zuora', status: 401 })).toBe(0);
  });

  it('refreshes at min(300 s, expires_in/2) before expiry on real time, with a short-lived token', async () => {
    // 4 s tokens: refreshed 2 s after issue, so one real wait of ~2 s crosses the refresh point.
    sandbox.setFaults('zuora', { tokenLifetimeS: 4 });
    const { client, tokenFetches } = makeClient(sandbox, tenantConfig(tenant.admin));
    await burst(client, 20);
    await sleep(2100);
    await burst(client, 50);
    expect(tokenCalls(sandbox)).toBe(2);
    expect(tokenFetches.map((event) => event.ok)).toEqual([true, true]);
    expect(sandbox.ledger.count({ vendor: 'zuora', status: 401 })).toBe(0);
  });

  it('answers a 401 for an expired token with one refresh and one retry', async () => {
    const { client } = makeClient(sandbox, tenantConfig(tenant.admin));
    await client.listEntities({ entityId: tenant.rootId });
    // The sandbox's clock passes expiry; the client's does not, so it sends the old token.
    sandbox.advanceClock(3_600_000);
    const mark = sandbox.ledger.mark;
    const entities = await client.listEntities({ entityId: tenant.rootId });
    expect(entities.length).toBe(tenant.fixture.entities.length);
    expect(zuoraEntries(sandbox, mark).map((e) => `${e.path} ${e.status}`)).toEqual([
      '/v1/entities 401',
      '/oauth/token 200',
      '/v1/entities 200',
    ]);
  });

  it('shares one refresh among 100 concurrent calls that all hold the expired token', async () => {
    const { client } = makeClient(sandbox, tenantConfig(tenant.admin));
    await client.listEntities({ entityId: tenant.rootId });
    sandbox.advanceClock(3_600_000);
    const mark = sandbox.ledger.mark;
    await burst(client, 100);
    expect(tokenCalls(sandbox, mark)).toBe(1);
    expect(sandbox.ledger.count({ vendor: 'zuora', path: '/v1/', status: 200, sinceSeq: mark })).toBe(100);
    // Only calls that left before the refresh carry the old token.
    expect(sandbox.ledger.count({ vendor: 'zuora', status: 401, sinceSeq: mark })).toBeGreaterThan(0);
  });

  it('reports AUTH after one refresh when the new token is refused too', async () => {
    // 1 s tokens and 1.2 s of latency: every token has expired by the time the sandbox reads it.
    sandbox.setFaults('zuora', { tokenLifetimeS: 1, rules: [{ kind: 'latency', latencyMs: 1200, match: { path: '^/v1/' } }] });
    const { client } = makeClient(sandbox, tenantConfig(tenant.admin));
    const mark = sandbox.ledger.mark;
    const error = await client.listEntities({ entityId: tenant.rootId }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', status: 401, retryable: false, attempts: 2 });
    expect(zuoraEntries(sandbox, mark).map((e) => `${e.path} ${e.status}`).sort()).toEqual([
      '/oauth/token 200',
      '/oauth/token 200',
      '/v1/entities 401',
      '/v1/entities 401',
    ]);
  });

  it('reports AUTH when the token call refuses the credentials', async () => {
    const { client } = makeClient(sandbox, tenantConfig(tenant.admin, { clientSecret: 'zs_wrong' }));
    const error = await client.listEntities({ entityId: tenant.rootId }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', status: 401, retryable: false });
  });
});
