/**
 * The circuit judges a vendor on the attempts the vendor itself ended (issue #23, section 4): a
 * call the gateway cut short counts as an outage only when the vendor's last word on it (an
 * attempt that timed out, a 5xx, a refused connection) said so; a call whose request ended
 * starts no further attempt. Counts and classes, never durations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamAbandonedError, UpstreamError, UpstreamTimeoutError } from '../../../src/errors.js';
import { createUpstreamHttp, type UpstreamHttpOptions } from '../../../src/upstreams/http.js';
import { classifyZuora } from '../../../src/upstreams/zuora/classify.js';
import { json, startTestServer, type Reply } from './helpers/test-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(reply: Reply, options: Partial<UpstreamHttpOptions>) {
  const server = await startTestServer(reply);
  const base = createUpstreamHttp({
    vendor: 'zuora',
    classify: classifyZuora,
    requestIdHeader: 'Zuora-Track-Id',
    retry: { backoffBaseMs: 5, noiseMs: 0 },
    health: { circuitBreaker: { failures: 2, halfOpenAfterMs: 60_000 }, retryBudget: 'off' },
    ...options,
  });
  cleanups.push(() => server.close(), () => base.close());
  const client = base.got.extend({ prefixUrl: server.url });
  const get = (extra: Record<string, unknown> = {}) => client.get('v1/entities', { context: { operation: 'listEntities', tenant: 'entity-a', ...extra } }).json<unknown>();
  return { server, get };
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as UpstreamError & { details?: unknown });
const hang: Reply = () => {
  // Never answers; the server's close destroys the socket.
};

describe('circuit breaker: judged on the attempts the vendor ended', () => {
  it('opens for a hung vendor whose attempts time out, even when the deadline cuts the last one', async () => {
    // Each call: one attempt times out at 100 ms (the vendor's silence), the next is cut at 250 ms.
    const { server, get } = await setup(hang, { timeouts: { attemptMs: 100, deadlineMs: 250 } });
    for (let i = 0; i < 2; i += 1) {
      const error = await failureOf(get());
      expect(error).toBeInstanceOf(UpstreamTimeoutError);
      expect(error).not.toBeInstanceOf(UpstreamAbandonedError);
    }
    const sentBefore = server.requests.length;
    expect(await failureOf(get())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendorCode: 'CIRCUIT_OPEN', attempts: 0 });
    expect(server.requests).toHaveLength(sentBefore);
  });

  it('stays closed for calls its deadline cut before the vendor had its attempt timeout', async () => {
    // The first three calls hang; the deadline (100 ms) cuts each long before its 5 s attempt timeout.
    const { server, get } = await setup((request, res) => (request.index <= 3 ? undefined : json(res, 200, { success: true, entities: [] })), { timeouts: { attemptMs: 5000, deadlineMs: 100 } });
    for (let i = 0; i < 3; i += 1) {
      const error = await failureOf(get());
      expect(error).toBeInstanceOf(UpstreamAbandonedError);
      expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', attempts: 1 });
    }
    await expect(get()).resolves.toMatchObject({ success: true });
    expect(server.requests).toHaveLength(4);
  });

  it('starts no retry once the request the call serves has ended', async () => {
    const ended = new AbortController();
    const { server, get } = await setup(
      (request, res) => {
        if (request.index > 1) return json(res, 200, { success: true, entities: [] });
        // The request ends while its first attempt is out; the vendor then answers 503.
        ended.abort();
        return json(res, 503, '');
      },
      { beforeUpstreamCall: () => ({ ended: ended.signal }) },
    );
    expect(await failureOf(get())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("cuts the call's deadline to its request's: no attempt runs past it", async () => {
    const { server, get } = await setup(hang, { timeouts: { attemptMs: 5000, deadlineMs: 20_000 }, beforeUpstreamCall: () => ({ deadlineAt: Date.now() + 100 }) });
    const error = await failureOf(get());
    // Cut at the request's 100 ms, not the call's 20 s (the test would time out) nor the attempt's 5 s.
    expect(error).toBeInstanceOf(UpstreamAbandonedError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("fails a call its request's deadline cut as the request's fields fail then, REQUEST_TIMEOUT, and counts it for nothing", async () => {
    const { server, get } = await setup((request, res) => (request.index <= 3 ? undefined : json(res, 200, { success: true, entities: [] })), {
      timeouts: { attemptMs: 5000, deadlineMs: 20_000 },
      beforeUpstreamCall: () => ({ deadlineAt: Date.now() + 100, deadlineMs: 100 }),
    });
    for (let i = 0; i < 3; i += 1) expect(await failureOf(get())).toMatchObject({ code: 'REQUEST_TIMEOUT', details: { deadlineMs: 100, retryable: true } });
    // Three cut calls, two outages would open the circuit: it is closed.
    await expect(get()).resolves.toMatchObject({ success: true });
    expect(server.requests).toHaveLength(4);
  });

  it('refuses a call while its circuit is open before it queues, without sending it', async () => {
    const { server, get } = await setup((_request, res) => json(res, 503, ''), { retry: { maxAttempts: 1 } });
    for (let i = 0; i < 2; i += 1) expect(await failureOf(get())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(await failureOf(get())).toMatchObject({ vendorCode: 'CIRCUIT_OPEN', attempts: 0 });
    expect(server.requests).toHaveLength(2);
  });
});
