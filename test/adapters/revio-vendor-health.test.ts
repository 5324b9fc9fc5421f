/**
 * Rev.io's health is judged on Rev.io's answers (issue #23, section 4): a call that runs out of
 * time waiting for a turn at the gateway's own limiter, or whose request ended or ran out of time
 * meanwhile, leaves the queue unsent and counts for nothing, so a backlog of ours can never open
 * the vendor's circuit. Read from the sandbox ledger and error classes, never from the clock.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamAbandonedError, UpstreamTimeoutError } from '../../src/errors.js';
import type { RequestScope } from '../../src/upstreams/request-scope.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { testClient, upstreamFailure } from '../helpers/vendors/revio.js';

const sandbox = withSandbox({ reset: false });
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});
beforeEach(() => sandbox.reset());

const SEARCH = { method: 'GET', path: '^/v1/IntegrationKeyLink$' };
const sent = () => sandbox.ledger.list({ vendor: 'revio', path: 'IntegrationKeyLink' });
/** The circuit on as in production, but opening after 2 outages, so a single miscount shows. */
const HEALTH = { circuitBreaker: { failures: 2, halfOpenAfterMs: 60_000 }, retryBudget: 'off' } as const;

describe('Rev.io health, judged on the answers of calls that were sent', () => {
  it('keeps the circuit closed when queued calls time out in the limiter, and serves the next caller', async () => {
    const { client } = testClient(sandbox, 0, { limits: { concurrency: 1 }, health: HEALTH }, cleanups);
    // One slot, held 300 ms by a slow but healthy answer; the calls queued behind it have 100 ms.
    sandbox.setFaults('revio', { rules: [{ kind: 'latency', latencyMs: 300, match: SEARCH }] });
    const holder = client.getKeyLink({ id: 1, requestId: 'holder', deadlineMs: 5000 });
    const queued = Array.from({ length: 5 }, (_, k) => upstreamFailure(client.getKeyLink({ id: k + 2, requestId: `queued-${k}`, deadlineMs: 100 })));
    const errors = await Promise.all(queued);
    expect(await holder).toBeDefined();
    // Another caller's call after them: the circuit (2 outages would open it) is closed.
    // (Before the fix: "upstream unavailable (no response, code CIRCUIT_OPEN, 0 attempts, retry after 60 s)".)
    expect(await client.getKeyLink({ id: 7, requestId: 'next-caller' }).catch((error: Error) => error.message)).toMatchObject({ integration_key_link_id: 7 });
    const ledger = sent();
    expect(ledger.map((entry) => entry.headers['x-request-id'])).toEqual(['holder', 'next-caller']);
    expect(ledger.every((entry) => entry.status === 200)).toBe(true);
    for (const error of errors) {
      // A timeout to its caller (code and class), yet never sent, so no outage.
      expect(error).toBeInstanceOf(UpstreamAbandonedError);
      expect(error).toBeInstanceOf(UpstreamTimeoutError);
      expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true, attempts: 0 });
    }
  });

  it("cuts a call's deadline to its request's: queued past the request's deadline, it leaves unsent", async () => {
    const lifetimes = new Map<string, RequestScope>();
    const { client } = testClient(sandbox, 0, { limits: { concurrency: 1 }, health: HEALTH, beforeUpstreamCall: ({ requestId }) => lifetimes.get(requestId ?? '') }, cleanups);
    sandbox.setFaults('revio', { rules: [{ kind: 'latency', latencyMs: 300, match: SEARCH }] });
    // The call's own deadline (8 s) would wait out the holder; its request's (100 ms) does not.
    lifetimes.set('short-request', { deadlineAt: Date.now() + 100, deadlineMs: 100 });
    const holder = client.getKeyLink({ id: 1, requestId: 'holder' });
    const queued = Array.from({ length: 3 }, (_, k) => client.getKeyLink({ id: k + 2, requestId: 'short-request' }).then(() => 'answered', (error: unknown) => error));
    // Failing as the request's own fields do at its deadline, whichever timer fires first.
    for (const error of await Promise.all(queued)) expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', details: { deadlineMs: 100 } });
    expect(await holder).toBeDefined();
    expect(await client.getKeyLink({ id: 7, requestId: 'next-caller' })).toBeDefined();
    expect(sent().map((entry) => [entry.headers['x-request-id'], entry.status])).toEqual([['holder', 200], ['next-caller', 200]]);
  });

  it('takes the calls of a request that ended out of the queue unsent, and those of the others stay in line', async () => {
    const ended = new AbortController();
    const lifetimes = new Map<string, RequestScope>([['gone', { ended: ended.signal }]]);
    const { client } = testClient(sandbox, 0, { limits: { concurrency: 1 }, health: HEALTH, beforeUpstreamCall: ({ requestId }) => lifetimes.get(requestId ?? '') }, cleanups);
    sandbox.setFaults('revio', { rules: [{ kind: 'latency', latencyMs: 100, match: SEARCH }] });
    const holder = client.getKeyLink({ id: 1, requestId: 'holder' });
    const gone = Array.from({ length: 4 }, (_, k) => upstreamFailure(client.getKeyLink({ id: k + 2, requestId: 'gone' })));
    const staying = client.getKeyLink({ id: 6, requestId: 'staying' });
    ended.abort();
    for (const error of await Promise.all(gone)) expect(error).toBeInstanceOf(UpstreamAbandonedError);
    expect(await staying).toBeDefined();
    expect(await holder).toBeDefined();
    expect(sent().map((entry) => [entry.headers['x-request-id'], entry.status])).toEqual([['holder', 200], ['staying', 200]]);
  });

  it("sends a shared read again for a joiner when the leader's request ends while the read is queued", async () => {
    const ended = new AbortController();
    const lifetimes = new Map<string, RequestScope>([['gone', { ended: ended.signal }]]);
    const joins: (string | undefined)[] = [];
    const { client } = testClient(sandbox, 0, { limits: { concurrency: 1 }, health: HEALTH, shareReads: true, onSharedRead: (event) => joins.push(event.requestId), beforeUpstreamCall: ({ requestId }) => lifetimes.get(requestId ?? '') }, cleanups);
    sandbox.setFaults('revio', { rules: [{ kind: 'latency', latencyMs: 100, match: SEARCH }] });
    const holder = client.getKeyLink({ id: 1, requestId: 'holder' });
    const leader = upstreamFailure(client.getKeyLink({ id: 2, requestId: 'gone' }));
    // The same read, asked by another request while the first is still queued: it joins.
    const joiner = client.getKeyLink({ id: 2, requestId: 'stays' });
    ended.abort();
    expect(await leader).toBeInstanceOf(UpstreamAbandonedError);
    expect(await joiner).toMatchObject({ integration_key_link_id: 2 });
    expect(joins).toEqual(['stays']);
    await holder;
    expect(sent().map((entry) => [entry.headers['x-request-id'], entry.status])).toEqual([['holder', 200], ['stays', 200]]);
  });

  it('sends nothing for a call whose request had already ended', async () => {
    const ended = new AbortController();
    ended.abort();
    const { client } = testClient(sandbox, 0, { limits: { concurrency: 4 }, health: HEALTH, beforeUpstreamCall: () => ({ ended: ended.signal }) }, cleanups);
    const error = await upstreamFailure(client.getKeyLink({ id: 1, requestId: 'late' }));
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', attempts: 0 });
    expect(sent()).toHaveLength(0);
  });
});
