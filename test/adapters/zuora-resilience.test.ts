import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamRateLimitedError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/errors.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import type { FaultRule } from '../../sandbox/index.js';
import { closeClients, makeClient, openPair, rejectionOf, tenantConfig, tenantFixture, tokenCalls, zuoraEntries, type TenantFixture } from '../helpers/vendors/zuora.js';

const sandbox = withSandbox();
let tenant: TenantFixture;

beforeAll(async () => {
  tenant = tenantFixture(sandbox, 0);
});
afterEach(closeClients);

const admin = (overrides = {}) => makeClient(sandbox, tenantConfig(tenant.admin), overrides);
const onEntities = (rule: FaultRule): void => sandbox.setFaults('zuora', { rules: [{ ...rule, match: { method: 'GET', path: '^/v1/entities$' } }] });
const entityReads = (mark: number) => zuoraEntries(sandbox, mark, /^\/v1\/entities$/);

describe('Zuora client: retries', () => {
  it.each([500, 502, 503, 504] as const)('retries a GET after an injected %i and returns the later success', async (status) => {
    const { client, calls } = admin();
    await client.listEntities({ entityId: tenant.rootId }); // token and connection warm
    onEntities({ kind: 'server-error', status, times: 2 });
    const mark = sandbox.ledger.mark;
    const entities = await client.listEntities({ entityId: tenant.rootId });
    expect(entities).toHaveLength(tenant.fixture.entities.length);
    expect(entityReads(mark).map((e) => e.status)).toEqual([status, status, 200]);
    expect(calls.slice(-3).map((e) => [e.attempt, e.status, e.retried])).toEqual([[1, status, true], [2, status, true], [3, 200, false]]);
  });

  it('retries a readiness probe at short intervals, whatever the backoff of other calls', async () => {
    const slow = { backoffBaseMs: 10_000, backoffLimitMs: 10_000, noiseMs: 0 };
    const { client } = admin({ retry: slow });
    await client.listEntities({ entityId: tenant.rootId, probe: true }); // token and connection warm
    onEntities({ kind: 'server-error', status: 503, times: 3 });
    const mark = sandbox.ledger.mark;
    const started = Date.now();
    const failure = await rejectionOf(client.listEntities({ entityId: tenant.rootId, probe: true }));
    // Three attempts well inside one backoff of 10 s: the probe's own short interval.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(failure.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(entityReads(mark).map((e) => e.status)).toEqual([503, 503, 503]);
  });

  it('sends a readiness probe past a limiter whose every slot is taken', async () => {
    const { client } = admin({ limits: { concurrency: 1 } });
    await client.listEntities({ entityId: tenant.rootId }); // token and connection warm
    onEntities({ kind: 'latency', latencyMs: 1_500 });
    const doneAt = (call: Promise<unknown>) => call.then(() => Date.now());
    const busy = doneAt(client.listEntities({ entityId: tenant.rootId }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const probe = doneAt(client.listEntities({ entityId: tenant.rootId, probe: true }));
    const [busyDone, probeDone] = await Promise.all([busy, probe]);
    // Sent at once, the probe ends ~0.1 s after the slow call; waiting for its slot, ~1.5 s after.
    expect(probeDone - busyDone).toBeLessThan(1_000);
  });

  it('retries a GET after a 429 no sooner than its Retry-After', async () => {
    const { client } = admin();
    onEntities({ kind: 'rate-limited', retryAfterS: 1, times: 1 });
    const mark = sandbox.ledger.mark;
    await client.listEntities({ entityId: tenant.rootId });
    const [limited, retried] = entityReads(mark);
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    expect(Date.parse(retried!.time) - Date.parse(limited!.time)).toBeGreaterThanOrEqual(990);
  });

  it('fails a 429 whose Retry-After is above 5 s at once, retryable, with the wait', async () => {
    const { client } = admin();
    onEntities({ kind: 'rate-limited', retryAfterS: 30 });
    const mark = sandbox.ledger.mark;
    const error = await rejectionOf(client.listEntities({ entityId: tenant.rootId }));
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, vendorCode: '90000070', retryable: true, retryAfterMs: 30_000, attempts: 1 });
    expect(entityReads(mark)).toHaveLength(1);
  });

  it('stops after 3 attempts with the class of the last failure', async () => {
    const { client } = admin();
    onEntities({ kind: 'server-error', status: 503 });
    const mark = sandbox.ledger.mark;
    const error = await rejectionOf(client.listEntities({ entityId: tenant.rootId }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, retryable: true, attempts: 3 });
    expect(entityReads(mark)).toHaveLength(3);
  });

  it('retries a GET whose first attempt hangs past the attempt timeout', async () => {
    const { client } = admin({ timeouts: { attemptMs: 300 } });
    onEntities({ kind: 'hang', hangMs: 2000, times: 1 });
    const mark = sandbox.ledger.mark;
    const entities = await client.listEntities({ entityId: tenant.rootId });
    expect(entities).toHaveLength(tenant.fixture.entities.length);
    expect(entityReads(mark).map((e) => e.fault ?? e.status)).toEqual(['hang', 200]);
  });

  it('gives up with a retryable timeout when every attempt hangs', async () => {
    const { client } = admin({ timeouts: { attemptMs: 200 } });
    onEntities({ kind: 'hang', hangMs: 2000 });
    const error = await rejectionOf(client.listEntities({ entityId: tenant.rootId }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true, status: undefined, attempts: 3 });
  });

  it('retries a GET after a dropped connection', async () => {
    const { client } = admin();
    onEntities({ kind: 'drop', times: 1 });
    const mark = sandbox.ledger.mark;
    await client.listEntities({ entityId: tenant.rootId });
    expect(entityReads(mark).map((e) => e.fault ?? e.status)).toEqual(['drop', 200]);
  });

  it('does not retry the token POST, which has no idempotency protection', async () => {
    const { client } = admin();
    sandbox.setFaults('zuora', { rules: [{ kind: 'server-error', status: 503, times: 1, match: { path: '^/oauth/token$' } }] });
    const error = await rejectionOf(client.listEntities({ entityId: tenant.rootId }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, operation: 'fetchToken', attempts: 1 });
    expect(tokenCalls(sandbox)).toBe(1);
    expect(sandbox.ledger.count({ vendor: 'zuora', path: '/v1/' })).toBe(0);
    // The next call asks again.
    await client.listEntities({ entityId: tenant.rootId });
    expect(tokenCalls(sandbox)).toBe(2);
  });

  it('retries a keyed POST after a timeout, but never sends one without its key', async () => {
    const { client } = admin({ timeouts: { attemptMs: 300 } });
    const { source, target } = openPair(tenant);
    sandbox.setFaults('zuora', { rules: [{ kind: 'hang', hangMs: 1000, times: 1, match: { method: 'POST', path: '^/v1/' } }] });
    const mark = sandbox.ledger.mark;
    await client.initiateConnection({ entityId: source, targetEntityId: target });
    const posts = zuoraEntries(sandbox, mark, '/v1/').filter((e) => e.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => (p.headers['idempotency-key'] ?? '').length > 0)).toBe(true);
  });
});

describe('Zuora client: vendor limits', () => {
  it('keeps 60 concurrent calls for one entity under Zuora\'s 40-in-flight cap, so none is refused', async () => {
    sandbox.setLimits('zuora', { windows: [], inFlightPerTenant: 40 });
    // Slow answers keep calls in flight long enough for the cap to matter.
    onEntities({ kind: 'latency', latencyMs: 50 });
    const { client } = admin();
    const mark = sandbox.ledger.mark;
    await Promise.all(Array.from({ length: 60 }, () => client.listEntities({ entityId: tenant.rootId })));
    expect(entityReads(mark).map((e) => e.status).filter((status) => status !== 200)).toEqual([]);
  });

  it('retries a call refused by the concurrency cap (category 70) and succeeds', async () => {
    sandbox.setFaults('zuora', { concurrencyCap: 2, rules: [{ kind: 'latency', latencyMs: 50, match: { path: '^/v1/' } }] });
    const { client } = admin();
    await client.listEntities({ entityId: tenant.rootId });
    const mark = sandbox.ledger.mark;
    const results = await Promise.all(Array.from({ length: 4 }, () => client.listEntities({ entityId: tenant.rootId })));
    expect(results.every((entities) => entities.length === tenant.fixture.entities.length)).toBe(true);
    const statuses = entityReads(mark).map((e) => e.status);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(4);
  });
});

describe('Zuora client: circuit', () => {
  it('keeps one circuit per credential: an outage seen acting as one entity fails calls as its other entities at once', async () => {
    const { client, calls } = admin({ health: { circuitBreaker: { failures: 3, halfOpenAfterMs: 60_000 }, retryBudget: 'off' } });
    const [first, second] = tenant.fixture.entities.map((entity) => entity.id);
    await client.listEntities({ entityId: first! }); // token and connection warm
    sandbox.setFaults('zuora', { rules: [{ kind: 'server-error', status: 503, match: { path: '^/v1/' } }] });
    for (let i = 0; i < 3; i += 1) await rejectionOf(client.listEntities({ entityId: first! }));
    const before = calls.length;
    const refused = await rejectionOf<UpstreamUnavailableError>(client.listEntities({ entityId: second! }));
    expect(refused.message).toMatch(/CIRCUIT_OPEN/);
    expect(refused.retryable).toBe(true);
    expect(calls.length).toBe(before);
  });
});
