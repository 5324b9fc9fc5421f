import { describe, expect, it } from 'vitest';
import { UpstreamAbandonedError, UpstreamRateLimitedError, UpstreamRejectedError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../../src/errors.js';
import { createCircuitBreakers, isOutage } from '../../../src/upstreams/circuit-breakers.js';
import { RetryBudget } from '../../../src/upstreams/retry-budget.js';

const down = () => Promise.reject(new UpstreamTimeoutError({ vendor: 'm3ter', operation: 'getMapping', retryable: true }));
const refused = () => Promise.reject(new UpstreamRejectedError({ vendor: 'm3ter', operation: 'createMapping', retryable: false, status: 400 }));
const ok = () => Promise.resolve('ok');

describe('circuit breakers', () => {
  it('opens after consecutive outage failures of one tenant and then fails fast, retryable, without calling', async () => {
    const breakers = createCircuitBreakers('m3ter', { failures: 3, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 3; i += 1) await expect(breakers.run('org-a', 'getMapping', down)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    let called = false;
    const fast = await breakers.run('org-a', 'getMapping', async () => {
      called = true;
      return 'x';
    }).catch((error: unknown) => error);
    expect(called).toBe(false);
    expect(fast).toBeInstanceOf(UpstreamUnavailableError);
    expect(fast).toMatchObject({ retryable: true, vendorCode: 'CIRCUIT_OPEN' });
    expect((fast as UpstreamUnavailableError).retryAfterMs).toBeGreaterThan(50_000);
    expect(breakers.isOpen('org-a')).toBe(true);
    // Another tenant of the same vendor is not affected.
    await expect(breakers.run('org-b', 'getMapping', ok)).resolves.toBe('ok');
  });

  it('never opens on answers that say the vendor is up (4xx), and a success resets the count', async () => {
    const breakers = createCircuitBreakers('m3ter', { failures: 2, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 5; i += 1) await expect(breakers.run('org-a', 'createMapping', refused)).rejects.toBeInstanceOf(UpstreamRejectedError);
    await expect(breakers.run('org-a', 'getMapping', down)).rejects.toThrow();
    await breakers.run('org-a', 'getMapping', ok);
    await expect(breakers.run('org-a', 'getMapping', down)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(breakers.isOpen('org-a')).toBe(false);
  });

  it('never counts a call the gateway ended itself, though its code is a timeout', async () => {
    const breakers = createCircuitBreakers('revio', { failures: 2, halfOpenAfterMs: 60_000 });
    const abandoned = () => Promise.reject(new UpstreamAbandonedError({ vendor: 'revio', operation: 'searchKeyLinks', retryable: true, attempts: 0 }));
    for (let i = 0; i < 5; i += 1) await expect(breakers.run('client-a', 'searchKeyLinks', abandoned)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(breakers.isOpen('client-a')).toBe(false);
    // Abandoned calls neither count nor reset: two real outages in a row around them still open it.
    await expect(breakers.run('client-a', 'searchKeyLinks', down)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    await expect(breakers.run('client-a', 'searchKeyLinks', abandoned)).rejects.toBeInstanceOf(UpstreamAbandonedError);
    await expect(breakers.run('client-a', 'searchKeyLinks', down)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(breakers.isOpen('client-a')).toBe(true);
  });

  it('counts by class, so only the vendor-down classes are outages', () => {
    const details = { vendor: 'zuora', operation: 'listEntities', retryable: true } as const;
    expect([
      new UpstreamUnavailableError(details),
      new UpstreamTimeoutError(details),
      new UpstreamAbandonedError(details),
      new UpstreamRateLimitedError(details),
      new UpstreamRejectedError(details),
      Object.assign(new Error('a timeout by name'), { code: 'UPSTREAM_TIMEOUT' }),
    ].map(isOutage)).toEqual([true, true, false, false, false, false]);
  });

  it('fails fast before the queue while open, and lets calls through once the wait has run out', async () => {
    const breakers = createCircuitBreakers('zuora', { failures: 1, halfOpenAfterMs: 30 });
    expect(() => breakers.refuseWhileOpen('e1', 'listEntities')).not.toThrow();
    await expect(breakers.run('e1', 'listEntities', down)).rejects.toThrow();
    expect(() => breakers.refuseWhileOpen('e1', 'listEntities')).toThrow(/CIRCUIT_OPEN/);
    expect(() => breakers.refuseWhileOpen('e2', 'listEntities')).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(() => breakers.refuseWhileOpen('e1', 'listEntities')).not.toThrow();
  });

  it('lets one call probe after the wait, and closes on its success', async () => {
    const breakers = createCircuitBreakers('zuora', { failures: 1, halfOpenAfterMs: 30 });
    await expect(breakers.run('e1', 'listEntities', down)).rejects.toThrow();
    expect(breakers.isOpen('e1')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(breakers.run('e1', 'listEntities', ok)).resolves.toBe('ok');
    expect(breakers.isOpen('e1')).toBe(false);
  });
});

describe('retry budget', () => {
  it('allows retries up to the ratio of calls in the window, plus the floor', () => {
    let now = 0;
    const budget = new RetryBudget({ ratio: 0.1, minPerSecond: 0.1, windowMs: 10_000 }, () => now);
    for (let i = 0; i < 100; i += 1) budget.recordCall();
    // 0.1 × 100 calls + 0.1/s × 10 s = 11 retries.
    const granted = Array.from({ length: 20 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(11);
    expect(budget.snapshot()).toEqual({ calls: 100, retries: 11 });
    // Once the window has passed, the old calls and retries no longer count.
    now = 11_000;
    expect(budget.snapshot()).toEqual({ calls: 0, retries: 0 });
    expect(budget.tryRetry()).toBe(true);
  });
});

describe('read timeouts', () => {
  it('keeps the configured timeout until it has seen enough answers, then follows 4 × p99 within its bounds', async () => {
    const { ReadTimeouts } = await import('../../../src/upstreams/read-timeouts.js');
    const timeouts = new ReadTimeouts({ maxMs: 8_000 });
    for (let i = 0; i < 19; i += 1) timeouts.record(50);
    expect(timeouts.timeoutMs()).toBe(8_000);
    timeouts.record(50);
    expect(timeouts.timeoutMs()).toBe(500);
    for (let i = 0; i < 200; i += 1) timeouts.record(i % 50 === 0 ? 600 : 100);
    expect(timeouts.timeoutMs()).toBe(2_400);
    for (let i = 0; i < 200; i += 1) timeouts.record(5_000);
    expect(timeouts.timeoutMs()).toBe(8_000);
  });

  it('computes the p99 again every 20 answers, not on every call', async () => {
    const { ReadTimeouts } = await import('../../../src/upstreams/read-timeouts.js');
    const timeouts = new ReadTimeouts({ maxMs: 8_000, samples: 40 });
    for (let i = 0; i < 40; i += 1) timeouts.record(100);
    expect(timeouts.timeoutMs()).toBe(500);
    for (let i = 0; i < 19; i += 1) timeouts.record(1_000);
    expect(timeouts.timeoutMs()).toBe(500);
    timeouts.record(1_000);
    expect(timeouts.timeoutMs()).toBe(4_000);
  });

  it('stands in another measure until it knows enough, within its bounds (writes start from the reads)', async () => {
    const { ReadTimeouts } = await import('../../../src/upstreams/read-timeouts.js');
    const reads = new ReadTimeouts({ maxMs: 8_000 });
    const writes = new ReadTimeouts({ maxMs: 8_000, minMs: 1_000, untilKnown: () => 2 * reads.timeoutMs() });
    expect(writes.timeoutMs()).toBe(8_000);
    for (let i = 0; i < 20; i += 1) reads.record(200);
    expect(writes.timeoutMs()).toBe(1_600);
    for (let i = 0; i < 20; i += 1) writes.record(100);
    expect(writes.timeoutMs()).toBe(1_000);
  });
});
