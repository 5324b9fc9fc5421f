import { describe, expect, it } from 'vitest';
import { FaultPlan, parseVendorFaults, VENDOR_LIMITS } from '../../../sandbox/core/faults.js';
import { createRng } from '../../../sandbox/core/rng.js';

const facts = (over: Partial<{ method: string; path: string; tenant: string; now: number }> = {}) => ({
  method: 'GET',
  path: '/v1/entities',
  tenant: 't1' as string | undefined,
  now: 1_000_000,
  ...over,
});

describe('FaultPlan', () => {
  it('serves normally when fault-free', () => {
    const plan = new FaultPlan('zuora', createRng(1), null);
    expect(plan.decide(facts())).toEqual({ action: 'serve', latencyMs: 0 });
  });

  it('fires a rule at most `times` times and only on matching requests', () => {
    const plan = new FaultPlan('m3ter', createRng(1), null);
    plan.setFaults({ rules: [{ kind: 'server-error', status: 502, times: 2, match: { method: 'GET', path: '^/v1/entities$' } }] });
    expect(plan.decide(facts({ method: 'POST' })).action).toBe('serve');
    expect(plan.decide(facts({ path: '/v1/entities/x' })).action).toBe('serve');
    expect(plan.decide(facts())).toMatchObject({ action: 'fail', failure: { kind: 'server-error', status: 502 } });
    expect(plan.decide(facts()).action).toBe('fail');
    expect(plan.decide(facts()).action).toBe('serve');
  });

  it('fires a rule with `after` only once the earlier rule has fired, and refuses an index that is not earlier', () => {
    const plan = new FaultPlan('m3ter', createRng(1), null);
    plan.setFaults({ rules: [{ kind: 'server-error', status: 502, times: 1, match: { method: 'POST' } }, { kind: 'server-error', status: 503, after: 0, match: { method: 'GET' } }] });
    expect(plan.decide(facts()).action).toBe('serve');
    expect(plan.decide(facts({ method: 'POST' }))).toMatchObject({ failure: { status: 502 } });
    expect(plan.decide(facts())).toMatchObject({ failure: { status: 503 } });
    expect(parseVendorFaults({ rules: [{ kind: 'drop', after: 0 }] })).toMatch(/rules\[0\]\.after must be the index of an earlier rule/);
  });

  it('hits roughly the configured share of requests, repeatably for a seed', () => {
    const run = () => {
      const plan = new FaultPlan('revio', createRng(7), null);
      plan.setFaults({ rules: [{ kind: 'server-error', rate: 0.3 }] });
      return Array.from({ length: 2000 }, () => plan.decide(facts()).action);
    };
    const first = run();
    expect(run()).toEqual(first);
    const share = first.filter((a) => a === 'fail').length / first.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('adds up latency rules and uses the vendor habit for Retry-After', () => {
    const zuora = new FaultPlan('zuora', createRng(1), null);
    zuora.setFaults({ rules: [{ kind: 'latency', latencyMs: 5 }, { kind: 'latency', latencyMs: [10, 10] }, { kind: 'rate-limited' }] });
    expect(zuora.decide(facts())).toMatchObject({ action: 'fail', latencyMs: 15, failure: { kind: 'rate-limited', retryAfterS: 1 } });
    const m3ter = new FaultPlan('m3ter', createRng(1), null);
    m3ter.setFaults({ rules: [{ kind: 'rate-limited' }] });
    expect(m3ter.decide(facts())).toMatchObject({ failure: { kind: 'rate-limited', retryAfterS: undefined } });
    m3ter.setFaults({ rules: [{ kind: 'rate-limited', retryAfterS: 3 }] });
    expect(m3ter.decide(facts())).toMatchObject({ failure: { retryAfterS: 3 } });
  });

  it('answers 429 above the concurrency cap per tenant, exempting token calls', () => {
    const plan = new FaultPlan('zuora', createRng(1), null);
    plan.setFaults({ concurrencyCap: 2 });
    plan.enter('t1');
    plan.enter('t1');
    plan.enter('t2');
    expect(plan.decide(facts()).action).toBe('serve');
    plan.enter('t1');
    expect(plan.decide(facts())).toMatchObject({ action: 'fail', failure: { kind: 'rate-limited', limit: 'concurrency' } });
    expect(plan.decide(facts({ tenant: 't2' })).action).toBe('serve');
    expect(plan.decide(facts({ tenant: undefined })).action).toBe('serve');
    plan.leave('t1');
    expect(plan.decide(facts()).action).toBe('serve');
  });

  it('enforces window limits per tenant and resets with the window', () => {
    const plan = new FaultPlan('revio', createRng(1), {
      windows: [
        { name: 'per-minute', max: 2, windowMs: 60_000, answer: 'rate-limited' },
        { name: 'per-day', max: 3, windowMs: 86_400_000, answer: 'quota-exhausted' },
      ],
    });
    expect(plan.decide(facts()).action).toBe('serve');
    expect(plan.decide(facts({ now: 1_010_000 })).action).toBe('serve');
    expect(plan.decide(facts({ now: 1_020_000 }))).toMatchObject({ failure: { kind: 'rate-limited', retryAfterS: 40, limit: 'per-minute' } });
    expect(plan.decide(facts({ tenant: 'other' })).action).toBe('serve');
    expect(plan.decide(facts({ now: 1_070_000 })).action).toBe('serve');
    expect(plan.decide(facts({ now: 1_080_000 }))).toMatchObject({ failure: { kind: 'quota-exhausted', limit: 'per-day' } });
  });

  it('publishes the vendor limits from the contract', () => {
    expect(VENDOR_LIMITS.zuora.inFlightPerTenant).toBe(40);
    expect(VENDOR_LIMITS.m3ter.windows[0]).toMatchObject({ max: 50, windowMs: 1000 });
    expect(VENDOR_LIMITS.revio.windows.map((w) => w.max)).toEqual([500, 150_000]);
  });
});

describe('parseVendorFaults', () => {
  it('accepts a full document', () => {
    const doc = { concurrencyCap: 3, tokenLifetimeS: 5, rules: [{ kind: 'hang', hangMs: 100, match: { path: 'oauth' } }] };
    expect(parseVendorFaults(doc)).toEqual(doc);
  });

  it.each([
    [[], 'faults must be a JSON object'],
    [{ rules: [{ kind: 'explode' }] }, 'rules[0].kind must be one of'],
    [{ rules: [{ kind: 'server-error', status: 404 }] }, 'rules[0].status'],
    [{ rules: [{ kind: 'latency', rate: 2 }] }, 'rules[0].rate'],
    [{ rules: [{ kind: 'latency', latencyMs: [5, 1] }] }, 'rules[0].latencyMs'],
    [{ rules: [{ kind: 'drop', match: { path: '(' } }] }, 'rules[0].match.path'],
    [{ concurrencyCap: 0 }, 'concurrencyCap must be a positive integer, got 0'],
  ])('rejects %j', (input, message) => {
    expect(parseVendorFaults(input)).toContain(message);
  });
});

describe('FaultPlan latency', () => {
  it('honours `times` on latency rules too', () => {
    const plan = new FaultPlan('zuora', createRng(1), null);
    plan.setFaults({ rules: [{ kind: 'latency', latencyMs: 300, times: 1 }] });
    expect(plan.decide(facts()).latencyMs).toBe(300);
    expect(plan.decide(facts()).latencyMs).toBe(0);
  });
});
