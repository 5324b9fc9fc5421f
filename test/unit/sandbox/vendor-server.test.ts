import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../sandbox/core/clock.js';
import { createControlHandler } from '../../../sandbox/core/control.js';
import { FaultPlan } from '../../../sandbox/core/faults.js';
import { Ledger } from '../../../sandbox/core/ledger.js';
import { createRng } from '../../../sandbox/core/rng.js';
import type { VendorApp } from '../../../sandbox/core/types.js';
import { startVendorServer, type VendorServer } from '../../../sandbox/core/vendor-server.js';
import { http } from '../../helpers/http.js';

/** A stand-in vendor: counts writes, echoes the sandbox clock, renders failures in a marked shape. */
function fakeApp(): VendorApp & { writes: number } {
  return {
    vendor: 'm3ter',
    writes: 0,
    tenantOf: (req) => (req.headers['x-tenant'] as string | undefined) ?? undefined,
    handle(req, env) {
      if (req.path === '/boom') throw new Error('simulator bug');
      if (req.method === 'POST') this.writes++;
      return { status: 200, body: { path: req.path, now: env.now, lifetime: env.tokenLifetimeS ?? null, writes: this.writes } };
    },
    failureResponse: (failure) => ({
      status: failure.kind === 'server-error' ? failure.status : failure.kind === 'rate-limited' ? 429 : 403,
      headers: failure.kind !== 'server-error' && failure.retryAfterS !== undefined ? { 'retry-after': String(failure.retryAfterS) } : undefined,
      body: { fake: failure.kind },
    }),
    reset() {
      this.writes = 0;
    },
    forgetTokens: () => undefined,
  };
}

describe('vendor server and control API', () => {
  const ledger = new Ledger();
  const clock = new SandboxClock();
  const app = fakeApp();
  const plan = new FaultPlan('m3ter', createRng(1), null);
  const plans = { zuora: new FaultPlan('zuora', createRng(2), null), m3ter: plan, revio: new FaultPlan('revio', createRng(3), null) };
  let server: VendorServer;

  beforeAll(async () => {
    const control = createControlHandler({
      ledger,
      clock,
      plans,
      apps: { zuora: app, m3ter: app, revio: app },
      info: () => ({ hello: 'sandbox' }),
      refuseConnections: async () => undefined,
      restart: async () => undefined,
      reset: () => {
        app.reset();
        ledger.reset();
        clock.reset();
        Object.values(plans).forEach((p) => p.reset());
      },
    });
    server = await startVendorServer({ app, ledger, faults: plan, clock, control });
  });
  afterAll(() => server.close());
  afterEach(() => http(`${server.url}/__sandbox/reset`, { method: 'POST' }));

  it('binds to loopback on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('records each vendor request in the ledger, but not control requests', async () => {
    await http(`${server.url}/x?a=1&a=2&b=3`, { headers: { 'x-tenant': 't1', 'zuora-track-id': 'trk' } });
    const { body } = await http(`${server.url}/__sandbox/ledger`);
    expect(body.count).toBe(1);
    expect(body.entries[0]).toMatchObject({ vendor: 'm3ter', method: 'GET', path: '/x', query: { a: ['1', '2'], b: '3' }, tenant: 't1', status: 200, headers: { 'zuora-track-id': 'trk' } });
  });

  it('injects a vendor-shaped 5xx set through the control API, then recovers', async () => {
    const set = await http(`${server.url}/__sandbox/faults/m3ter`, { method: 'PUT', body: { rules: [{ kind: 'server-error', status: 502, times: 1 }] } });
    expect(set.status).toBe(200);
    expect((await http(`${server.url}/x`)).status).toBe(502);
    expect((await http(`${server.url}/x`)).status).toBe(200);
    const { body } = await http(`${server.url}/__sandbox/ledger?vendor=m3ter`);
    expect(body.entries.map((e: { status: number; fault?: string }) => [e.status, e.fault])).toEqual([[502, 'server-error-502'], [200, undefined]]);
  });

  it('applies a write and then hangs, so the client sees no answer but the write happened', async () => {
    plan.setFaults({ rules: [{ kind: 'apply-then-hang', hangMs: 200, times: 1 }] });
    await expect(http(`${server.url}/w`, { method: 'POST' })).rejects.toThrow();
    const after = await http(`${server.url}/w`, { method: 'GET' });
    expect(after.body.writes).toBe(1);
    expect(ledger.list({ path: '/w' })[0]).toMatchObject({ status: 200, fault: 'apply-then-hang' });
  });

  it('hangs without applying, and drops connections', async () => {
    plan.setFaults({ rules: [{ kind: 'hang', hangMs: 100, match: { method: 'POST' }, times: 1 }, { kind: 'drop', match: { path: '^/d$' } }] });
    await expect(http(`${server.url}/w`, { method: 'POST' })).rejects.toThrow();
    await expect(http(`${server.url}/d`)).rejects.toThrow();
    expect((await http(`${server.url}/w`)).body.writes).toBe(0);
    expect(ledger.list().map((e) => e.fault)).toEqual(['hang', 'drop', undefined]);
  });

  it('adds latency', async () => {
    plan.setFaults({ rules: [{ kind: 'latency', latencyMs: 120 }] });
    const started = performance.now();
    await http(`${server.url}/x`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('answers 429 above the concurrency cap per tenant', async () => {
    plan.setFaults({ concurrencyCap: 2, rules: [{ kind: 'latency', latencyMs: 150 }] });
    const statuses = await Promise.all(Array.from({ length: 5 }, () => http(`${server.url}/x`, { headers: { 'x-tenant': 't1' } }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect((await http(`${server.url}/x`, { headers: { 'x-tenant': 't2' } })).status).toBe(200);
  });

  it('passes the token lifetime override and the advanced clock to the simulator', async () => {
    const before = (await http(`${server.url}/x`)).body.now;
    await http(`${server.url}/__sandbox/faults/m3ter`, { method: 'PUT', body: { tokenLifetimeS: 2 } });
    const advanced = await http(`${server.url}/__sandbox/clock`, { method: 'POST', body: { advanceMs: 3_600_000 } });
    expect(advanced.status).toBe(200);
    const after = (await http(`${server.url}/x`)).body;
    expect(after.now - before).toBeGreaterThanOrEqual(3_600_000);
    expect(after.lifetime).toBe(2);
  });

  it('turns a simulator exception into the vendor-shaped 500', async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const res = await http(`${server.url}/boom`);
      expect(res).toMatchObject({ status: 500, body: { fake: 'server-error' } });
    } finally {
      console.error = original;
    }
  });

  it('rejects bad control input with 400 and unknown routes with 404/405', async () => {
    expect((await http(`${server.url}/__sandbox/faults/m3ter`, { method: 'PUT', body: { rules: [{ kind: 'nope' }] } })).status).toBe(400);
    expect((await http(`${server.url}/__sandbox/faults/stripe`, { method: 'PUT', body: {} })).status).toBe(404);
    expect((await http(`${server.url}/__sandbox/clock`, { method: 'POST', body: { advanceMs: -1 } })).status).toBe(400);
    expect((await http(`${server.url}/__sandbox/ledger?sinceSeq=x`)).status).toBe(400);
    expect((await http(`${server.url}/__sandbox/nothing`)).status).toBe(404);
    const wrong = await http(`${server.url}/__sandbox/reset`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('sets and clears vendor limits at run time', async () => {
    const limits = { windows: [{ name: 'per-second', max: 1, windowMs: 60_000, answer: 'rate-limited' }] };
    expect((await http(`${server.url}/__sandbox/limits/m3ter`, { method: 'PUT', body: limits })).status).toBe(200);
    expect((await http(`${server.url}/x`, { headers: { 'x-tenant': 't' } })).status).toBe(200);
    const limited = await http(`${server.url}/x`, { headers: { 'x-tenant': 't' } });
    expect(limited).toMatchObject({ status: 429, body: { fake: 'rate-limited' } });
    expect(limited.headers['retry-after']).toBeUndefined();
    expect((await http(`${server.url}/__sandbox/limits/m3ter`, { method: 'PUT', body: 'null' })).status).toBe(200);
    expect((await http(`${server.url}/x`, { headers: { 'x-tenant': 't' } })).status).toBe(200);
  });

  it('answers 413 for an oversized body', async () => {
    const res = await http(`${server.url}/x`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
  });
});
