import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_LIMITS, TenantLimiter } from '../../../src/upstreams/tenant-limiter.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TenantLimiter', () => {
  it('caps calls in flight per tenant', async () => {
    const limiter = new TenantLimiter({ concurrency: 3 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(10);
      running -= 1;
    };
    await Promise.all(Array.from({ length: 12 }, () => limiter.run('entity-a', task)));
    expect(peak).toBe(3);
  });

  it('limits tenants independently', async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    let release!: () => void;
    const blocked = limiter.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(limiter.run('b', async () => 'b done')).resolves.toBe('b done');
    expect(limiter.load('a')).toEqual({ running: 1, waiting: 0 });
    release();
    await blocked;
  });

  it('caps calls started per rolling second', async () => {
    const limiter = new TenantLimiter({ concurrency: 100, ratePerSecond: 5 });
    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => limiter.run('key', async () => void started.push(Date.now() - t0))));
    expect(started.filter((at) => at < 900)).toHaveLength(5);
    expect(started.filter((at) => at >= 900)).toHaveLength(3);
  });

  it('passes results and errors through', async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    await expect(limiter.run('a', async () => 42)).resolves.toBe(42);
    await expect(limiter.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('defaults to the CONTRACTS limits', () => {
    expect(DEFAULT_TENANT_LIMITS).toEqual({
      zuora: { concurrency: 40 },
      m3ter: { concurrency: 20, ratePerSecond: 40 },
      revio: { concurrency: 8, ratePerSecond: 8 },
    });
  });
});
