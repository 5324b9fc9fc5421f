import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamRateLimitedError } from '../../src/errors.js';
import type { M3terClient } from '../../src/upstreams/m3ter/client.js';
import { VENDOR_LIMITS } from '../../sandbox/core/faults.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { gapMs } from '../helpers/gap-ms.js';
import { clientFor, orgCalls, orgOf, upstreamErrorOf } from '../helpers/vendors/m3ter.js';

const sandbox = withSandbox({ reset: false });
let orgId: string;
/** Production backoff: these tests are about how long the client waits after a 429. */
let client: M3terClient;

beforeAll(async () => {
  orgId = orgOf(sandbox, 0).orgId;
  client = clientFor(sandbox, 0);
});

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.setLimits('m3ter', null);
});

afterAll(() => {

  client.close();

});

const CONFIGURATION = 'externalmappingconfiguration';

function statuses(mark: number): number[] {
  return orgCalls(sandbox, orgId, mark).map((call) => call.status);
}

describe('m3ter client: 429', () => {
  it('backs off at least 1 s after a 429 without Retry-After, then succeeds', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'rate-limited', times: 1, match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    await client.getConfiguration();
    const calls = orgCalls(sandbox, orgId, mark);
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect(calls[0]?.headers).not.toHaveProperty('retry-after');
    expect(gapMs(calls[0], calls[1])).toBeGreaterThanOrEqual(1000);
  });

  it('doubles the wait after a second 429 and gives up after the third, retryable', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'rate-limited', match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.getConfiguration());
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, retryable: true, attempts: 3, retryAfterMs: undefined });
    const calls = orgCalls(sandbox, orgId, mark);
    expect(calls).toHaveLength(3);
    expect(gapMs(calls[0], calls[1])).toBeGreaterThanOrEqual(1000);
    expect(gapMs(calls[1], calls[2])).toBeGreaterThanOrEqual(2000);
  });

  it('waits out a Retry-After of 2 s when m3ter sends one', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'rate-limited', times: 1, retryAfterS: 2, match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    await client.getConfiguration();
    const calls = orgCalls(sandbox, orgId, mark);
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect(gapMs(calls[0], calls[1])).toBeGreaterThanOrEqual(2000);
  });

  it('fails at once, retryable with retryAfterMs, when Retry-After is beyond 5 s', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'rate-limited', retryAfterS: 30, match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.getConfiguration());
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 30_000, attempts: 1 });
    expect(statuses(mark)).toEqual([429]);
  });
});

describe('m3ter client: the org rate limit', () => {
  /** A 90-call burst through `client` against m3ter's 50 calls per second: how many 429s it met. */
  async function burst(limited: M3terClient): Promise<number> {
    const mark = sandbox.ledger.mark;
    const results = await Promise.all(Array.from({ length: 90 }, () => limited.getConfiguration()));
    limited.close();
    expect(results).toHaveLength(90);
    return statuses(mark).filter((status) => status === 429).length;
  }

  // The limiter spreads its 40/s over 100 ms steps, so no fixed m3ter second should see more
  // than ~44 arrivals (0 429s in every run here); the bound leaves room for a stalled event loop.
  it('meets almost no 429s with its default limit, where an unlimited burst meets many', async () => {
    sandbox.setLimits('m3ter', VENDOR_LIMITS.m3ter);
    const withLimit = await burst(clientFor(sandbox, 0, { limits: undefined }));
    await sleep(1100);
    const withoutLimit = await burst(clientFor(sandbox, 0, { limits: { concurrency: 100 } }));
    expect(withoutLimit).toBeGreaterThanOrEqual(30);
    expect(withLimit).toBeLessThan(withoutLimit / 4);
  });
});
