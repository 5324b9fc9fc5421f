/**
 * From runs to what the report shows: medians per target × workload × connections × latency,
 * the ratios of Interlink (b) to the others, and the targets the bench reports against,
 * each met, missed or not measured (a quick or partial run leaves some cells out).
 */
import type { TargetName, WorkloadId } from '../workloads/index.js';
import type { Probe, RunMeasurement } from './measure.js';

export interface Cell {
  workload: WorkloadId;
  connections: number;
  latencyMs: number;
  target: TargetName;
  runs: number;
  /** Medians over the measured runs. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuPercent: number;
  /** Median of the runs' server CPU ms per logical request answered. */
  cpuMsPerRequest: number;
  callsPerRequestUnderLoad: number;
  /** Highest peak over the runs. */
  peakRssMB: number;
  /** Median sandbox CPU, % of one core: near 100 means the sandbox set the pace. */
  sandboxCpuPercent: number;
  /** HTTP answers over all runs: few answers mean rough percentiles. */
  answers: number;
  /** From the probe: requests sent one at a time. */
  callsPerRequest: number | undefined;
  /** Every run's requests/s in run order, so drift shows. */
  requestsPerSecondByRun: number[];
  errors: number;
  flaggedRuns: number;
}

export interface Ratio {
  workload: WorkloadId;
  connections: number;
  latencyMs: number;
  /** e.g. "b/a"; undefined where a side was not measured. */
  versus: 'b/a' | 'b/c' | 'b/d' | 'b/e';
  throughput: number | undefined;
  p50: number | undefined;
  /** CPU ms per request, b over the other: < 1 means Interlink spends less per request. */
  cpuPerRequest: number | undefined;
}

export type GoalStatus = 'met' | 'missed' | 'not measured';

export interface Goal {
  goal: string;
  status: GoalStatus;
  detail: string;
}

export const median = (values: readonly number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function summarizeCells(runs: readonly RunMeasurement[], probes: readonly Probe[]): Cell[] {
  const groups = new Map<string, RunMeasurement[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.workload, run.connections, run.latencyMs, run.target]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const { workload, connections, latencyMs, target } = group[0]!;
    const of = (pick: (run: RunMeasurement) => number) => median(group.map(pick));
    return {
      workload,
      connections,
      latencyMs,
      target,
      runs: group.length,
      requestsPerSecond: of((r) => r.requestsPerSecond),
      p50Ms: of((r) => r.p50Ms),
      p99Ms: of((r) => r.p99Ms),
      cpuPercent: of((r) => r.cpuPercent),
      cpuMsPerRequest: of((r) => r.cpuMsPerRequest),
      callsPerRequestUnderLoad: of((r) => r.callsPerRequest),
      peakRssMB: Math.max(...group.map((r) => r.peakRssMB)),
      sandboxCpuPercent: of((r) => r.sandboxCpuPercent),
      answers: group.reduce((sum, r) => sum + r.responses, 0),
      callsPerRequest: probes.find((p) => p.target === target && p.workload === workload)?.callsPerRequest,
      requestsPerSecondByRun: group.map((r) => r.requestsPerSecond),
      errors: group.reduce((sum, r) => sum + r.non2xx + r.graphqlErrors + r.socketErrors, 0),
      flaggedRuns: group.filter((r) => r.flagged).length,
    };
  });
}

const OTHERS: [Ratio['versus'], TargetName][] = [
  ['b/a', 'direct'],
  ['b/c', 'naive'],
  ['b/d', 'mesh'],
  ['b/e', 'tailcall'],
];

export function ratios(cells: readonly Cell[]): Ratio[] {
  const out: Ratio[] = [];
  const find = (c: Cell, target: TargetName) =>
    cells.find((x) => x.workload === c.workload && x.connections === c.connections && x.latencyMs === c.latencyMs && x.target === target);
  for (const b of cells.filter((c) => c.target === 'interlink')) {
    for (const [versus, target] of OTHERS) {
      const other = find(b, target);
      if (!other) continue;
      // A side that answered nothing has no throughput or latency to compare.
      const measured = b.answers > 0 && other.answers > 0;
      const ratio = (x: number, y: number) => (measured && Number.isFinite(x / y) && y > 0 ? x / y : undefined);
      out.push({
        workload: b.workload,
        connections: b.connections,
        latencyMs: b.latencyMs,
        versus,
        throughput: ratio(b.requestsPerSecond, other.requestsPerSecond),
        p50: ratio(b.p50Ms, other.p50Ms),
        cpuPerRequest: ratio(b.cpuMsPerRequest, other.cpuMsPerRequest),
      });
    }
  }
  return out;
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));

/** The targets the bench reports against (listed below), judged from this run's medians. */
export function goals(cells: readonly Cell[], probes: readonly Probe[], ratioList: readonly Ratio[], idleRssMB: Partial<Record<TargetName, number>> = {}): Goal[] {
  const result: Goal[] = [];

  // 1. Upstream calls per request: (b) equal to (a) on every workload (exact counts from the probes).
  {
    const workloads = [...new Set(probes.map((p) => p.workload))];
    const pairs = workloads.flatMap((w) => {
      const a = probes.find((p) => p.workload === w && p.target === 'direct');
      const b = probes.find((p) => p.workload === w && p.target === 'interlink');
      return a && b ? [{ w, a: a.callsPerRequest, b: b.callsPerRequest }] : [];
    });
    const missed = pairs.filter((p) => Math.abs(p.a - p.b) > 1e-9);
    const all = ['W1', 'W2', 'W3', 'W4'].every((w) => pairs.some((p) => p.w === w));
    result.push({
      goal: 'upstream calls per request: (b) = (a) on every workload',
      status: missed.length ? 'missed' : all ? 'met' : 'not measured',
      detail: pairs.map((p) => `${p.w} ${fmt(p.b)} vs ${fmt(p.a)}`).join(', ') || 'needs direct and interlink',
    });
  }

  // 2. Throughput (b) ≥ 3× (c) and ≥ 2× (d) on W1 and W2, in every cell measured.
  {
    const relevant = ratioList.filter((r) => (r.workload === 'W1' || r.workload === 'W2') && (r.versus === 'b/c' || r.versus === 'b/d'));
    const need = (r: Ratio) => (r.versus === 'b/c' ? 3 : 2);
    const missed = relevant.filter((r) => r.throughput !== undefined && r.throughput < need(r));
    const unmeasured = relevant.filter((r) => r.throughput === undefined);
    const worst = (versus: Ratio['versus']) => {
      const list = relevant.filter((r) => r.versus === versus && r.throughput !== undefined).map((r) => r.throughput!);
      return list.length ? `${versus} ≥ ${fmt(Math.min(...list))}× (need ${versus === 'b/c' ? 3 : 2}×)` : `${versus} not measured`;
    };
    const both = relevant.some((r) => r.versus === 'b/c') && relevant.some((r) => r.versus === 'b/d');
    const where = (list: Ratio[]) => list.map((r) => `${r.workload}/${r.connections}c/${r.latencyMs}ms ${r.versus}${r.throughput === undefined ? '' : ` ${fmt(r.throughput)}×`}`).join(', ');
    result.push({
      goal: 'throughput: (b) ≥ 3× (c) and ≥ 2× (d) on W1 and W2',
      status: missed.length ? 'missed' : relevant.length === 0 || unmeasured.length || !both ? 'not measured' : 'met',
      detail: `${worst('b/c')}; ${worst('b/d')}` + (missed.length ? `; short in ${where(missed)}` : '') + (unmeasured.length ? `; nothing answered in ${where(unmeasured)}` : ''),
    });
  }

  // 3. p50 latency (b) ≤ 1.25× (a) at the same concurrency with 5 ms upstream latency.
  {
    const relevant = ratioList.filter((r) => r.versus === 'b/a' && r.latencyMs === 5);
    const measured = relevant.filter((r) => r.p50 !== undefined);
    const missed = measured.filter((r) => r.p50! > 1.25);
    result.push({
      goal: 'p50 latency: (b) ≤ 1.25× (a) at 5 ms upstream latency',
      status: missed.length ? 'missed' : measured.length === 0 || measured.length < relevant.length ? 'not measured' : 'met',
      detail: measured.length
        ? `worst ${fmt(Math.max(...measured.map((r) => r.p50!)))}×` + (missed.length ? `; over in ${missed.map((r) => `${r.workload}/${r.connections}c ${fmt(r.p50)}×`).join(', ')}` : '')
        : 'needs a 5 ms run of direct and interlink',
    });
  }

  // 4. Peak RSS (b) on W1 at 64 connections ≤ its idle RSS + 100 MB (admission control bounds it).
  {
    const relevant = cells.filter((c) => c.target === 'interlink' && c.connections === 64 && c.workload === 'W1');
    const peak = Math.max(...relevant.map((c) => c.peakRssMB));
    const idle = idleRssMB.interlink;
    result.push({
      goal: 'peak RSS: (b) ≤ idle + 100 MB on W1 at 64 connections',
      status: relevant.length === 0 || idle === undefined || !Number.isFinite(idle) ? 'not measured' : peak <= idle + 100 ? 'met' : 'missed',
      detail: relevant.length && idle !== undefined ? `highest ${fmt(peak, 0)} MB, idle ${fmt(idle, 0)} MB (+${fmt(peak - idle, 0)} MB)` : 'needs a 64-connection W1 run of interlink',
    });
  }
  // 5. The latency row: p50 (b) ≤ 1.1× (a) on W1 at 100 ms per vendor call, 4 connections.
  {
    const row = ratioList.find((r) => r.versus === 'b/a' && r.workload === 'W1' && r.latencyMs === 100 && r.connections === 4);
    result.push({
      goal: 'latency row: (b) p50 ≤ 1.1× (a) on W1 at 100 ms upstream latency, 4 connections',
      status: row?.p50 === undefined ? 'not measured' : row.p50 <= 1.1 ? 'met' : 'missed',
      detail: row?.p50 === undefined ? 'needs the latency row (--latency-row) of direct and interlink' : `${fmt(row.p50)}×`,
    });
  }

  // 6. W1 throughput (b) at or above Tailcall's (e), in every W1 cell measured at 0 ms.
  {
    const relevant = ratioList.filter((r) => r.versus === 'b/e' && r.workload === 'W1' && r.latencyMs === 0);
    const measured = relevant.filter((r) => r.throughput !== undefined);
    const missed = measured.filter((r) => r.throughput! < 1);
    result.push({
      goal: 'throughput: (b) ≥ (e) Tailcall on W1',
      status: missed.length ? 'missed' : measured.length === 0 ? 'not measured' : 'met',
      detail: measured.length ? measured.map((r) => `${r.connections}c ${fmt(r.throughput)}×`).join(', ') : 'needs a 0 ms W1 run of interlink and tailcall',
    });
  }
  return result;
}
