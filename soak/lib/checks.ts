/**
 * The soak's verdicts. Correctness is read from the vendors' own records (vendor-records.ts) and
 * from what the clients were answered; latency and readiness from the run's own records. Each
 * check has a name, a pass, and a line saying what was measured.
 */
import type { FloodResult } from './flood.js';
import type { Phase } from './phases.js';
import type { RequestRecord, TrafficLog } from './traffic.js';
import { VENDORS_OF } from './traffic.js';
import type { VendorRecords } from './vendor-records.js';

export interface Check {
  name: string;
  passed: boolean;
  detail: string;
  /** A latency or memory target: noise on a shared machine, so `--timing=report` reports it without failing. */
  timing?: true;
}

export interface ReadinessSample {
  atMs: number;
  status: number;
  /** The vendors the answer named failing (its `failing` list); undefined when no answer came. */
  failing?: readonly string[];
}

export interface PhaseWindow {
  phase: Phase;
  startMs: number;
  endMs: number;
}

export interface ResourceSample {
  rssMb: number;
  sockets: number;
}

/** The request deadline the gateway answers by (its default), plus a second for the answer's trip. */
const DEADLINE_MS = 15_000 + 1_000;
/** Below this a p99 is noise on a shared machine; ratios start from it. */
const LATENCY_FLOOR_MS = 250;

export async function correctnessChecks(log: TrafficLog, vendors: VendorRecords): Promise<Check[]> {
  const lost: string[] = [];
  const unanswered = log.links.filter((link) => !link.deleted && link.deleteUnanswered !== undefined);
  for (const link of log.links) {
    if (!link.deleted && link.deleteUnanswered !== undefined) continue;
    const exists = await vendors.linkExists(link.provider, link.tenantIndex, link.nativeId);
    if (exists === link.deleted) lost.push(`${link.provider} ${link.nativeId} ${link.deleted ? 'acknowledged deleted but still there' : 'acknowledged but missing'}`);
  }
  for (const connection of log.connections) {
    if (!(await vendors.connectionExists(connection.tenantIndex, connection.sourceEntityId, connection.connectionId))) lost.push(`connection ${connection.connectionId} missing`);
  }
  const externalIds = new Map<string, { provider: 'M3TER' | 'REVIO'; tenantIndex: number }>();
  for (const link of log.links) externalIds.set(`${link.provider}:${link.externalId}`, link);
  for (const write of log.unsettled) for (const id of write.externalIds) externalIds.set(`${write.provider}:${id}`, write);
  const duplicates: string[] = [];
  for (const [key, { provider, tenantIndex }] of externalIds) {
    const count = await vendors.linksWithExternalId(provider, tenantIndex, key.slice(provider.length + 1));
    if (count > 1) duplicates.push(`${key} ×${count}`);
  }
  const leaks = log.records.flatMap((record) => record.leaks.map((leak) => `${record.operation}/${record.step}: ${leak}`));
  const malformed = log.records.filter((record) => record.malformed > 0 || record.codes.includes('NO_CODE'));
  const http500 = log.records.filter((record) => record.status === 500);
  const writes = log.links.length + log.connections.length;
  return [
    {
      name: 'no lost acknowledged write',
      passed: lost.length === 0,
      detail: `${lost.length === 0 ? `${writes} acknowledged writes and deletes found as answered` : lost.slice(0, 5).join('; ')}${unanswered.length === 0 ? '' : `; ${unanswered.length} deletes never answered (${[...new Set(unanswered.flatMap((link) => link.deleteUnanswered!))].join(', ') || 'no code'}), their links not judged`}`,
    },
    { name: 'no duplicate upstream record', passed: duplicates.length === 0, detail: duplicates.length === 0 ? `${externalIds.size} external ids, each held at most once` : duplicates.slice(0, 5).join('; ') },
    { name: "no answer holds another tenant's data", passed: leaks.length === 0, detail: leaks.length === 0 ? `${log.records.length} answers checked` : leaks.slice(0, 5).join('; ') },
    { name: 'every failure well-formed (code, retryable)', passed: malformed.length === 0, detail: `${malformed.length} malformed of ${log.records.filter((r) => r.codes.length > 0).length} failed answers` },
    { name: 'no HTTP 500', passed: http500.length === 0, detail: `${http500.length} answers with status 500` },
  ];
}

export function latencyChecks(records: readonly RequestRecord[], windows: readonly PhaseWindow[]): Check[] {
  const byPhase = (name: string) => records.filter((record) => record.phase === name);
  const baseline = percentile(byPhase('baseline').map((r) => r.latencyMs), 0.99);
  const faulted = windows.filter((w) => w.phase.name.endsWith('faults'));
  const worstFaulted = Math.max(...faulted.map((w) => percentile(byPhase(w.phase.name).map((r) => r.latencyMs), 0.99)));
  const slowest = Math.max(0, ...records.map((r) => r.latencyMs));
  const checks: Check[] = [
    {
      name: 'p99 under faults ≤ 2× p99 without',
      timing: true,
      passed: worstFaulted <= 2 * Math.max(baseline, LATENCY_FLOOR_MS),
      detail: `baseline p99 ${ms(baseline)}, worst fault phase p99 ${ms(worstFaulted)}`,
    },
    { name: 'no answer slower than the request deadline', passed: slowest <= DEADLINE_MS, detail: `slowest answer ${ms(slowest)} (deadline ${ms(DEADLINE_MS - 1000)})` },
  ];
  for (const window of windows.filter((w) => w.phase.outage !== undefined && w.phase.outage !== 'all')) {
    const down = window.phase.outage as 'zuora' | 'm3ter' | 'revio';
    const unaffected = (r: RequestRecord) => !VENDORS_OF[r.operation].includes(down);
    const before = percentile(byPhase('baseline').filter(unaffected).map((r) => r.latencyMs), 0.99);
    const during = percentile(byPhase(window.phase.name).filter(unaffected).map((r) => r.latencyMs), 0.99);
    checks.push({
      name: `while ${down} is down, the other vendors' fields keep their latency`,
      timing: true,
      passed: during <= 2 * Math.max(before, LATENCY_FLOOR_MS),
      detail: `p99 of operations without ${down}: ${ms(before)} at baseline, ${ms(during)} during the outage`,
    });
  }
  return checks;
}

export function readinessChecks(samples: readonly ReadinessSample[], windows: readonly PhaseWindow[], refusalMs: number): Check[] {
  const checks: Check[] = [];
  for (const window of windows.filter((w) => w.phase.outage !== undefined)) {
    const outageEnd = window.startMs + refusalMs;
    // Judged by the vendor's own entry: the next vendor's outage may begin before this one's
    // 5 s of recovery are over, and the 503 it causes is not this vendor still failing.
    const vendor = window.phase.outage!;
    const names = (s: ReadinessSample) => vendor === 'all' || s.failing === undefined || s.failing.includes(vendor);
    const firstDown = samples.find((s) => s.atMs >= window.startMs && s.atMs <= outageEnd && s.status !== 200 && names(s));
    const backUp = samples.find((s) => s.atMs >= outageEnd && s.status !== 0 && (s.status === 200 || !names(s)));
    const downAfter = firstDown === undefined ? undefined : firstDown.atMs - window.startMs;
    const upAfter = backUp === undefined ? undefined : backUp.atMs - outageEnd;
    checks.push({
      name: `/readyz reports the ${window.phase.outage} outage within 5 s and recovers within 5 s`,
      passed: downAfter !== undefined && downAfter <= 5_000 && upAfter !== undefined && upAfter <= 5_000,
      detail: `failing after ${downAfter === undefined ? 'never' : ms(downAfter)}, ok again ${upAfter === undefined ? 'never' : `${ms(upAfter)} after the end`}`,
    });
  }
  // A phase after another settles for 5 s first; the first phase follows nothing.
  const calm = samples.filter((s) => windows.some((w, i) => w.phase.outage === undefined && w.phase.drill === undefined && s.atMs >= w.startMs + (i === 0 ? 0 : 5_000) && s.atMs <= w.endMs));
  const flaps = calm.filter((s) => s.status !== 200).length;
  checks.push({ name: '/readyz does not flap outside outages', passed: flaps === 0, detail: `${flaps} of ${calm.length} probes outside outages were not 200` });
  return checks;
}

export function resourceChecks(before: ResourceSample, after: ResourceSample, alive: boolean, plannedRestarts = 0): Check[] {
  const within = (a: number, b: number) => b <= a * 1.1 + 1;
  const lives = plannedRestarts === 0 ? 'one process from start to end' : `one process between the ${plannedRestarts} planned restarts`;
  return [
    { name: 'the gateway never restarted unplanned', passed: alive, detail: alive ? lives : 'the gateway process exited' },
    { name: 'RSS back within 10% after the load', timing: true, passed: within(before.rssMb, after.rssMb), detail: `${before.rssMb.toFixed(0)} MB before, ${after.rssMb.toFixed(0)} MB after` },
    { name: 'open sockets back within 10% after the load', passed: within(before.sockets, after.sockets), detail: `${before.sockets} before, ${after.sockets} after` },
  ];
}

/** While one key floods, another key's cheap query is answered, and fast (fair admission). */
export function floodChecks(results: readonly FloodResult[]): Check[] {
  const probes = results.flatMap((result) => result.probes);
  if (probes.length === 0) return [];
  const flood = results.reduce<Record<string, number>>((sum, result) => {
    for (const [status, count] of Object.entries(result.flood)) sum[status] = (sum[status] ?? 0) + count;
    return sum;
  }, {});
  const failed = probes.filter((probe) => probe.status !== 200);
  const p99 = percentile(probes.map((probe) => probe.latencyMs), 0.99);
  const floodLine = Object.entries(flood).map(([status, count]) => `${count} × ${status}`).join(', ');
  return [
    { name: "while one key floods, another key's query is answered", passed: failed.length === 0, detail: `${probes.length - failed.length} of ${probes.length} probes answered 200 (flood: ${floodLine})` },
    { name: "while one key floods, another key's query p99 < 1 s", timing: true, passed: p99 < 1_000, detail: `probe p99 ${ms(p99)}, slowest ${ms(Math.max(...probes.map((probe) => probe.latencyMs)))}` },
  ];
}

/** The checks that fail the run: all of them, or with `--timing=report` all but the timing ones. */
export function gatingFailures(checks: readonly Check[], timing: 'gate' | 'report'): Check[] {
  return checks.filter((check) => !check.passed && (timing === 'gate' || !check.timing));
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
