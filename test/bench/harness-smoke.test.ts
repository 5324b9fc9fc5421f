/**
 * The bench harness at tiny scale, so it cannot rot between full runs. The same pieces
 * `npm run bench` runs (bench/run.ts), with the small sandbox, all five targets (Interlink from
 * source: no build inside `npm test`; Tailcall's native binary as in a real run), nothing pinned
 * and no files written: every target × workload it expresses is probed (each step's `check()`
 * against real answers, then exact upstream call counts over a handful of requests), and W3 (one
 * request) and W4 (a create → delete chain) get one 1-second run at 1 connection, through the wrk
 * script or autocannon as in a real run. It asserts call counts, never timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, measureMatrix, probeAll, REPO_ROOT } from '../../bench/run.js';
import { startEnvironment, type BenchEnvironment } from '../../bench/lib/bench-environment.js';
import type { BenchOptions } from '../../bench/lib/bench-options.js';
import { loadTool } from '../../bench/lib/load.js';
import type { Probe } from '../../bench/lib/measure.js';
import { printedReport, type BenchReport } from '../../bench/lib/report.js';
import { WORKLOADS, type TargetName, type WorkloadId } from '../../bench/workloads/index.js';

const OPTIONS: BenchOptions = {
  quick: false,
  targets: ['direct', 'interlink', 'naive', 'mesh', 'tailcall'],
  workloads: ['W3', 'W4'],
  connections: [1],
  latencies: [0],
  latencyRow: undefined,
  durationS: 1,
  rounds: 0,
  maxDurationS: 1,
  warmupS: 0,
  runs: 1,
  probeRequests: 2,
  size: 'small',
  tool: undefined,
  interlinkFromSource: true,
  dedupe: true,
  pin: false,
  verbose: false,
};
const pinning = { enabled: false, loadCore: 0, serverCore: 0, note: 'smoke test: nothing pinned' };

let env: BenchEnvironment | undefined;
let probes: Probe[] = [];
let report: BenchReport;
const log: string[] = [];

beforeAll(async () => {
  const started = new Date();
  env = await startEnvironment({ size: OPTIONS.size, targets: OPTIONS.targets, pinning, cwd: REPO_ROOT, interlinkFromSource: true, log: (l) => log.push(l) });
  probes = await probeAll(env, WORKLOADS, (l) => log.push(l));
  const runs = await measureMatrix(env, probes, OPTIONS, (l) => log.push(l));
  report = buildReport({ options: OPTIONS, tool: loadTool, pinning, cwd: REPO_ROOT, started, finished: new Date(), probes, runs });
}, 150_000);

afterAll(async () => {
  await env?.stop();
  // A failure in beforeAll shows only its error; the harness's log says how far it got.
  if (!report) console.error(log.join('\n'));
});

const calls = (target: TargetName, workload: WorkloadId): number => {
  const probe = probes.find((p) => p.target === target && p.workload === workload);
  if (!probe) throw new Error(`no probe of ${target} on ${workload}`);
  return probe.callsPerRequest;
};

describe('bench harness (smoke)', () => {
  it('passes every check of every target on every workload it expresses', () => {
    // probeAll throws on the first failed check, so every pair listed here passed.
    expect(probes.map((p) => `${p.workload} ${p.target}`).sort()).toEqual(
      [...['W1', 'W2', 'W3', 'W4'].flatMap((w) => ['direct', 'interlink', 'mesh', 'naive'].map((t) => `${w} ${t}`)), 'W1 tailcall', 'W3 tailcall'].sort(),
    );
  });

  it('skips Tailcall on W2 and W4 and says so in the log and the report', () => {
    // The report notes the workloads of the measured matrix (here W3, W4).
    expect(report.notes.join('\n')).toContain('(e) tailcall: W4 not expressed');
    expect(log.some((line) => /W2 tailcall .*not expressed/.test(line))).toBe(true);
  });

  it('counts one upstream call per request for Tailcall on W3, as for direct REST', () => {
    expect(calls('tailcall', 'W3')).toBe(calls('direct', 'W3'));
  });

  it.each(['W1', 'W2', 'W3'] as const)('counts as many upstream calls per request for Interlink as for direct REST on %s', (workload) => {
    expect(calls('interlink', workload)).toBe(calls('direct', workload));
  });

  it("counts one more upstream call per request for Interlink on W4: the create's reading of the links like it, its proof of what it made", () => {
    // A create reads what exists before its first attempt, so that after an unknown outcome it adopts
    // only a link it made (src/lib/existed-before.ts); the direct client takes no such care.
    expect(calls('interlink', 'W4')).toBe(calls('direct', 'W4') + 1);
  });

  it.each(['W1', 'W2'] as const)('counts more upstream calls per request for naive Apollo than for Interlink on %s', (workload) => {
    expect(calls('naive', workload)).toBeGreaterThan(calls('interlink', workload));
  });

  it('measures a run per target on W3 and W4 (Tailcall on W3 only) and reports each with its CPU per request', () => {
    const expected = [...OPTIONS.targets.map((t) => `W3 ${t}`), ...OPTIONS.targets.filter((t) => t !== 'tailcall').map((t) => `W4 ${t}`)];
    expect(report.runs.map((r) => `${r.workload} ${r.target}`)).toEqual(expected);
    for (const run of report.runs) {
      expect(run.responses, `${run.workload} ${run.target}: answers`).toBeGreaterThan(0);
      expect(run.non2xx + run.graphqlErrors + run.socketErrors, `${run.workload} ${run.target}: errors`).toBe(0);
      expect(Number.isFinite(run.cpuMsPerRequest), `${run.workload} ${run.target}: CPU ms/req`).toBe(true);
    }
    expect(report.cells).toHaveLength(9);
    expect(printedReport(report)).toContain('(b) interlink');
    expect(printedReport(report)).toContain('(e) tailcall');
    expect(printedReport(report)).toContain('CPU ms/req');
  });
});
