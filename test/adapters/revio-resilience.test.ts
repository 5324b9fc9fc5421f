import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamRateLimitedError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/errors.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { gapMs } from '../helpers/gap-ms.js';
import { fixtureClient, testClient, upstreamFailure, type TestClient } from '../helpers/vendors/revio.js';

const sandbox = withSandbox({ reset: false });
let revio: TestClient;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  revio = testClient(sandbox, 0, {}, cleanups);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});
beforeEach(() => {
  sandbox.reset();
  revio.events.length = 0;
});

const SEARCH = { method: 'GET', path: '^/v1/IntegrationKeyLink$' };
const statuses = () => sandbox.ledger.list().map((e) => e.status);
const allLinks = () => [...fixtureClient(sandbox, 0).keyLinks].sort((a, b) => a.integration_key_link_id - b.integration_key_link_id);

describe('Rev.io client: retries', () => {
  it.each([500, 502, 503, 504] as const)('retries a GET that got %i and returns the later success', async (status) => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status, match: SEARCH, times: 1 }] });
    expect(await revio.client.searchKeyLinks()).toEqual(allLinks());
    expect(statuses()).toEqual([status, 200]);
  });

  it('reports every attempt to onUpstreamCall', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: SEARCH, times: 1 }] });
    await revio.client.searchKeyLinksPage({ requestId: 'req-events' });
    expect(revio.events.map((e) => [e.operation, e.attempt, e.status, e.retried])).toEqual([
      ['searchKeyLinks', 1, 503, true],
      ['searchKeyLinks', 2, 200, false],
    ]);
    expect(sandbox.ledger.list().map((e) => e.headers['x-request-id'])).toEqual(['req-events', 'req-events']);
  });

  it('waits out Retry-After on a 429 before the next attempt', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'rate-limited', retryAfterS: 1, match: SEARCH, times: 1 }] });
    await revio.client.searchKeyLinks();
    const [limited, retried] = sandbox.ledger.list();
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    expect(gapMs(limited as { time: string }, retried as { time: string })).toBeGreaterThanOrEqual(1000);
  });

  it('fails at once, retryable with retryAfterMs, when Retry-After is longer than 5 s', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'rate-limited', retryAfterS: 30, match: SEARCH }] });
    const error = await upstreamFailure(revio.client.searchKeyLinks());
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 30_000, attempts: 1 });
    expect(statuses()).toEqual([429]);
  });

  it('stops after three attempts with UPSTREAM_UNAVAILABLE, retryable', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: SEARCH }] });
    const error = await upstreamFailure(revio.client.getKeyLink({ id: 1 }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, retryable: true, attempts: 3, operation: 'searchKeyLinks', vendor: 'revio' });
    expect(statuses()).toEqual([503, 503, 503]);
  });

  it('retries a GET whose attempt timed out', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'hang', match: SEARCH, times: 1, hangMs: 1500 }] });
    expect(await revio.client.getKeyLink({ id: 2 })).toEqual(allLinks()[1]);
    expect(statuses()).toEqual([0, 200]);
  });

  it('retries a GET whose connection was dropped', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'drop', match: SEARCH, times: 1 }] });
    expect(await revio.client.getKeyLink({ id: 2 })).toEqual(allLinks()[1]);
    expect(statuses()).toEqual([0, 200]);
  });

  it('gives up on a hanging vendor with UPSTREAM_TIMEOUT, retryable, after three attempts', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'hang', match: SEARCH, hangMs: 1500 }] });
    const error = await upstreamFailure(revio.client.getKeyLink({ id: 2 }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true, attempts: 3, status: undefined });
    expect(statuses()).toEqual([0, 0, 0]);
  });

  it('stops at the call deadline with UPSTREAM_TIMEOUT', async () => {
    const { client } = testClient(sandbox, 0, { timeouts: { attemptMs: 5000, deadlineMs: 300 } }, cleanups);
    sandbox.setFaults('revio', { rules: [{ kind: 'hang', match: SEARCH, hangMs: 1500 }] });
    const error = await upstreamFailure(client.getKeyLink({ id: 2 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true, attempts: 1 });
  });

  it('fails a paging search whose page parameter is ignored, instead of looping', async () => {
    // A server that always answers page 1 with has_more (what a real tenant ignoring search.page would do).
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, has_more: true, record_count: 1, records: [allLinks()[0]] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address() as { port: number };
    const { client } = testClient(sandbox, 0, { url: `http://127.0.0.1:${address.port}` }, cleanups);
    const error = await upstreamFailure(client.searchKeyLinks());
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', vendorCode: 'PAGING_NOT_ADVANCING', retryable: false });
  });
});

describe('Rev.io client: client-side limits', () => {
  it("keeps calls in flight within the tenant's limit, so the vendor's concurrency cap is never hit", async () => {
    const { client } = testClient(sandbox, 0, { limits: { concurrency: 3 } }, cleanups);
    sandbox.setFaults('revio', { concurrencyCap: 3, rules: [{ kind: 'latency', latencyMs: 30 }] });
    const links = await Promise.all(Array.from({ length: 15 }, (_, k) => client.getKeyLink({ id: k + 1 })));
    expect(links.every((link) => link !== undefined)).toBe(true);
    expect(statuses()).toEqual(Array.from({ length: 15 }, () => 200));
  });

  it('lets the vendor cap show when the client allows more in flight (the check above can fail)', async () => {
    const { client } = testClient(sandbox, 0, { limits: { concurrency: 15 }, retry: { maxAttempts: 1 } }, cleanups);
    sandbox.setFaults('revio', { concurrencyCap: 3, rules: [{ kind: 'latency', latencyMs: 30 }] });
    await Promise.allSettled(Array.from({ length: 15 }, (_, k) => client.getKeyLink({ id: k + 1 })));
    expect(statuses()).toContain(429);
  });
});
