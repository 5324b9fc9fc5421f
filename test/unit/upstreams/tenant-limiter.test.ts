import { describe, expect, it } from 'vitest';
import { VENDOR_SETTINGS } from '../../../src/config.js';
import { TenantLimiter } from '../../../src/upstreams/tenant-limiter.js';

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

  it('serves waiting calls round-robin by flow, FIFO within a flow', async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    const order: string[] = [];
    const call = (flow: string, name: string) => limiter.run('key', async () => void order.push(name), flow);
    const heavy = Array.from({ length: 6 }, (_, i) => call('heavy', `h${i}`));
    const light = [call('light', 'l0'), call('light', 'l1')];
    const third = call('third', 't0');
    await Promise.all([...heavy, ...light, third]);
    // h0 took the free slot at once; then one call per flow per turn.
    expect(order).toEqual(['h0', 'h1', 'l0', 't0', 'h2', 'l1', 'h3', 'h4', 'h5']);
  });

  it("serves callers round-robin first, then each caller's flows: four requests of one caller get one turn in two against another caller's one", async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    const order: string[] = [];
    let release!: () => void;
    const holder = limiter.run('key', () => new Promise<void>((resolve) => (release = resolve)), 'holder', { caller: 'heavy' });
    const call = (caller: string, flow: string, name: string) => limiter.run('key', async () => void order.push(name), flow, { caller });
    const heavy = ['r1', 'r2', 'r3', 'r4'].flatMap((flow) => [0, 1].map((k) => call('heavy', flow, `${flow}.${k}`)));
    const light = [0, 1, 2, 3].map((k) => call('light', 'l1', `l1.${k}`));
    release();
    await Promise.all([holder, ...heavy, ...light]);
    // By flow alone the light request would get one turn in five: r1.0 r2.0 r3.0 r4.0 l1.0 ...
    expect(order).toEqual(['r1.0', 'l1.0', 'r2.0', 'l1.1', 'r3.0', 'l1.2', 'r4.0', 'l1.3', 'r1.1', 'r2.1', 'r3.1', 'r4.1']);
  });

  it('holds the rate cap across flows', async () => {
    const limiter = new TenantLimiter({ concurrency: 100, ratePerSecond: 10 });
    const started: string[] = [];
    const pending = ['a', 'b', 'a', 'b'].map((flow, i) => limiter.run('key', async () => void started.push(`${flow}${i}`), flow));
    // 10/s is spread as 1 start per 100 ms: one has started, three wait their turn.
    expect(started).toEqual(['a0']);
    expect(limiter.load('key')).toEqual({ running: 1, waiting: 3 });
    await Promise.all(pending);
    expect(started).toEqual(['a0', 'b1', 'a2', 'b3']);
  });

  it('takes a waiting call out of line when its signal aborts: it never runs, and the line moves on', async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    const ran: string[] = [];
    let release!: () => void;
    const holder = limiter.run('key', () => new Promise<void>((resolve) => (release = resolve)), 'holder');
    const leave = new AbortController();
    const reason = new Error('its request ended');
    const leaving = [1, 2, 3].map((n) => limiter.run('key', async () => void ran.push(`gone${n}`), 'gone', { signal: leave.signal }));
    const staying = limiter.run('key', async () => void ran.push('stays'), 'other');
    expect(limiter.load('key')).toEqual({ running: 1, waiting: 4 });
    leave.abort(reason);
    for (const call of leaving) await expect(call).rejects.toBe(reason);
    // Left at once, slot or no slot: the waiting count drops before the holder finishes.
    expect(limiter.load('key')).toEqual({ running: 1, waiting: 1 });
    release();
    await Promise.all([holder, staying]);
    expect(ran).toEqual(['stays']);
    expect(limiter.load('key')).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a call whose signal has already aborted, and lets a running call finish when its signal aborts', async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    const aborted = new AbortController();
    aborted.abort(new Error('already over'));
    let ran = false;
    await expect(limiter.run('key', async () => void (ran = true), 'late', { signal: aborted.signal })).rejects.toThrow('already over');
    expect(ran).toBe(false);
    const running = new AbortController();
    let release!: (value: string) => void;
    const call = limiter.run('key', () => new Promise<string>((resolve) => (release = resolve)), 'on-time', { signal: running.signal });
    running.abort(new Error('too late to matter'));
    release('answered');
    await expect(call).resolves.toBe('answered');
    expect(limiter.load('key')).toEqual({ running: 0, waiting: 0 });
  });

  it('keeps round-robin order among the flows that stay when one leaves', async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    const order: string[] = [];
    let release!: () => void;
    const holder = limiter.run('key', () => new Promise<void>((resolve) => (release = resolve)), 'h');
    const leave = new AbortController();
    const call = (flow: string, name: string, signal?: AbortSignal) => limiter.run('key', async () => void order.push(name), flow, { signal }).catch(() => order.push(`left ${name}`));
    const calls = [call('a', 'a0'), call('b', 'b0', leave.signal), call('c', 'c0'), call('a', 'a1'), call('b', 'b1', leave.signal), call('c', 'c1')];
    leave.abort();
    release();
    await Promise.all([holder, ...calls]);
    expect(order).toEqual(['left b0', 'left b1', 'a0', 'c0', 'a1', 'c1']);
  });

  it('passes results and errors through', async () => {
    const limiter = new TenantLimiter({ concurrency: 1 });
    await expect(limiter.run('a', async () => 42)).resolves.toBe(42);
    await expect(limiter.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('defaults to the limits each vendor documents', () => {
    expect(Object.fromEntries(VENDOR_SETTINGS.map((vendor) => [vendor.name, vendor.limits]))).toEqual({
      zuora: { concurrency: 40 },
      m3ter: { concurrency: 20, ratePerSecond: 40 },
      revio: { concurrency: 8, ratePerSecond: 8 },
    });
  });
});
