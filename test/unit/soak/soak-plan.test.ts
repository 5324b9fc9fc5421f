/** The soak's options and timeline: what `npm run soak` will do before it does it. */
import { describe, expect, it } from 'vitest';
import { gatingFailures, readinessChecks, type Check } from '../../../soak/lib/checks.js';
import { faultRules, soakPhases } from '../../../soak/lib/phases.js';
import { parseSoakOptions, SoakUsage } from '../../../soak/lib/soak-options.js';

describe('soak options', () => {
  it("defaults to the issue's run, and --quick to a 75-second one", () => {
    expect(parseSoakOptions([])).toMatchObject({ quick: false, clients: 50, tenants: 3, durationS: 300, serverErrorRate: 0.05, timeoutRate: 0.02, rateLimitedRate: 0.03, refusalS: 20 });
    expect(parseSoakOptions(['--quick'])).toMatchObject({ quick: true, durationS: 75 });
  });

  it('takes each option and refuses bad ones, naming them', () => {
    expect(parseSoakOptions(['--clients=8', '--tenants=2', '--duration=120', '--5xx=0.1', '--timeouts=0', '--429=0', '--refusal=5'])).toMatchObject({ clients: 8, tenants: 2, durationS: 120, serverErrorRate: 0.1, timeoutRate: 0, rateLimitedRate: 0, refusalS: 5 });
    expect(() => parseSoakOptions(['--tenants=4'])).toThrow(SoakUsage);
    expect(() => parseSoakOptions(['--clients=lots'])).toThrow(/--clients must be/);
    expect(() => parseSoakOptions(['--bogus'])).toThrow(/unknown argument/);
    expect(parseSoakOptions([]).timing).toBe('gate');
    expect(parseSoakOptions([]).paceMs).toBe(1000);
    expect(parseSoakOptions(['--pace=0']).paceMs).toBe(0);
    expect(() => parseSoakOptions(['--pace=-5'])).toThrow(/--pace must be/);
    expect(parseSoakOptions(['--quick', '--timing=report']).timing).toBe('report');
    expect(() => parseSoakOptions(['--timing=sometimes'])).toThrow(/--timing must be gate or report/);
  });
});

describe('soak verdicts', () => {
  const checks: Check[] = [
    { name: 'no lost acknowledged write', passed: true, detail: '' },
    { name: 'no HTTP 500', passed: false, detail: '1 answer with status 500' },
    { name: 'p99 under faults ≤ 2× p99 without', passed: false, detail: '', timing: true },
  ];

  it('fails on any failed check by default, and with --timing=report on all but latency and memory targets', () => {
    expect(gatingFailures(checks, 'gate').map((c) => c.name)).toEqual(['no HTTP 500', 'p99 under faults ≤ 2× p99 without']);
    expect(gatingFailures(checks, 'report').map((c) => c.name)).toEqual(['no HTTP 500']);
  });
});

describe('soak timeline', () => {
  it('fills the duration: baseline, one key flooding, each vendor, all together, three outages, a restart, recovery', () => {
    for (const argv of [[], ['--quick']]) {
      const options = parseSoakOptions(argv);
      const phases = soakPhases(options);
      expect(phases.map((p) => p.name)).toEqual(['baseline', 'one key floods', 'zuora faults', 'm3ter faults', 'revio faults', 'all faults', 'gateway restarts', 'zuora refuses', 'm3ter refuses', 'revio refuses', 'restart', 'recovery']);
      expect(phases.reduce((sum, p) => sum + p.durationS, 0)).toBe(options.durationS);
      expect(phases.filter((p) => p.drill !== undefined)).toHaveLength(5);
      expect(phases.filter((p) => p.flood === true).map((p) => p.name)).toEqual(['one key floods']);
    }
  });

  it('sets every fault kind the issue names, at its rate, with applied-then-hung writes', () => {
    const rules = faultRules(parseSoakOptions([]));
    expect(rules.find((r) => r.kind === 'server-error')?.rate).toBe(0.05);
    expect(rules.find((r) => r.kind === 'rate-limited')).toMatchObject({ rate: 0.03, retryAfterS: 1 });
    expect(rules.filter((r) => r.kind === 'apply-then-hang').map((r) => r.match?.method)).toEqual(['POST', 'PUT', 'DELETE']);
    expect(rules.find((r) => r.kind === 'hang')?.rate).toBe(0.01);
  });
});

describe('soak readiness verdicts', () => {
  const phase = (name: string, outage?: 'zuora' | 'm3ter' | 'revio') => ({ name, durationS: 22, faults: {}, ...(outage ? { outage } : {}) });
  // m3ter refuses from 0 to 20 s, Rev.io from 22 s: /readyz is 503 throughout, but m3ter's own entry recovers at 23 s.
  const windows = [
    { phase: phase('m3ter refuses', 'm3ter'), startMs: 0, endMs: 22_000 },
    { phase: phase('revio refuses', 'revio'), startMs: 22_000, endMs: 44_000 },
  ];
  const samples = [
    { atMs: 1_000, status: 503, failing: ['m3ter'] },
    { atMs: 21_000, status: 503, failing: ['m3ter'] },
    { atMs: 22_500, status: 503, failing: ['m3ter', 'revio'] },
    { atMs: 23_000, status: 503, failing: ['revio'] },
    { atMs: 30_000, status: 0 },
    { atMs: 43_000, status: 200, failing: [] },
  ];

  it("judges each vendor's outage and recovery by its own entry, not by the next vendor's 503", () => {
    const [m3ter, revio] = readinessChecks(samples, windows, 20_000);
    expect(m3ter).toMatchObject({ passed: true, detail: 'failing after 1.0 s, ok again 3.0 s after the end' });
    expect(revio).toMatchObject({ passed: true, detail: 'failing after 500 ms, ok again 1.0 s after the end' });
  });

  it('fails a vendor still named failing 5 s after its outage', () => {
    const late = samples.map((s) => (s.atMs === 23_000 ? { ...s, failing: ['m3ter', 'revio'] } : s));
    expect(readinessChecks(late, windows, 20_000)[0]).toMatchObject({ passed: false });
  });
});
