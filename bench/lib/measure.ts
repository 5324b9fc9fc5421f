/**
 * The three things the harness does with one target × workload: probe it (check every step's
 * answer, learn the request plan, count upstream calls exactly with requests sent one at a time),
 * warm it up, and measure one load run (throughput, latency, errors, upstream calls under load,
 * server CPU and peak RSS, and the sandbox's CPU, to show when it was the bottleneck).
 */
import type { BenchStep, TargetName, Workload, WorkloadId } from '../workloads/index.js';
import type { BenchEnvironment, RunningTarget } from './bench-environment.js';
import { runPlanLoad, type PlanLoadResult } from './load.js';
import { cpuSeconds, watchMemory } from './proc-stats.js';
import { waitQuiet } from './quiesce.js';
import { learnPlan, uniqueString, uniqueTag, type RequestPlan } from './request-plan.js';
import { runSteps } from './send-step.js';

export interface Probe {
  target: TargetName;
  workload: WorkloadId;
  steps: readonly BenchStep[];
  plan: RequestPlan;
  /** Upstream calls per logical request, requests sent one at a time (exact; token calls excluded). */
  callsPerRequest: number;
  /** Mean wall time of one logical request sent alone: what slow targets' runs are lengthened by. */
  latencyMs: number;
  iterations: number;
}

export function targetOf(env: BenchEnvironment, name: TargetName): RunningTarget {
  const target = env.targets.get(name);
  if (!target) throw new Error(`target ${name} is not running`);
  return target;
}

/** Checks every step against real answers, learns the plan and counts calls over `iterations` logical requests. */
export async function probe(env: BenchEnvironment, name: TargetName, workload: Workload, iterations = 3): Promise<Probe> {
  const target = targetOf(env, name);
  const label = `${name} ${workload.id}`;
  const steps = workload.steps(name, env.context);
  // The first exchange pays for lazy start-up work (tokens, catalogs): keep it out of the count.
  await runSteps(target.url, steps, uniqueString(uniqueTag(), 0), `${label} (check)`);
  const plan = await learnPlan(target.url, steps, label);
  await waitQuiet(env);
  await env.sandbox.resetLedger();
  const tag = uniqueTag();
  const started = performance.now();
  for (let i = 1; i <= iterations; i++) await runSteps(target.url, steps, uniqueString(tag, i), `${label} (count)`);
  const latencyMs = (performance.now() - started) / iterations;
  const { calls } = await waitQuiet(env);
  return { target: name, workload: workload.id, steps, plan, callsPerRequest: calls / iterations, latencyMs, iterations };
}

/** Runs each step once against a real answer and its `check()` (the per-cell warm-up check). */
export async function checkOnce(env: BenchEnvironment, probed: Probe): Promise<void> {
  await runSteps(targetOf(env, probed.target).url, probed.steps, uniqueString(uniqueTag(), 0), `${probed.target} ${probed.workload} (check)`);
}

export interface LoadSettings {
  connections: number;
  durationS: number;
  tool?: PlanLoadResult['tool'];
}

export interface Lengthening {
  /** Give every connection time for at least this many answers, judged by the probe's latency (0: never lengthen). */
  rounds: number;
  /** Upper bound on a lengthened run, s. */
  maxDurationS: number;
}

/**
 * A run's duration: the configured one, lengthened for a slow target so each connection gets a
 * few answers (a CPU-bound server answers about one request per `latencyMs` whatever the
 * concurrency, so `connections` answers take `connections × latencyMs`). A 3-second run of a
 * target whose requests take 5 s under load would otherwise measure nothing.
 */
export function runDurationS(probed: Probe, connections: number, durationS: number, lengthening: Lengthening): number {
  const needed = Math.ceil((lengthening.rounds * connections * probed.latencyMs) / 1000);
  return Math.max(durationS, Math.min(lengthening.maxDurationS, needed));
}

/**
 * Load without measuring (warm-up). Connections are capped at what the target can answer within
 * the warm-up (judged by its probe latency): a slow target warms up just as well on two
 * connections, and does not leave dozens of abandoned requests to wait out before the next run.
 */
export async function warmUp(env: BenchEnvironment, probed: Probe, settings: LoadSettings): Promise<void> {
  const answerable = Math.max(1, Math.floor((settings.durationS * 1000) / Math.max(probed.latencyMs, 1)));
  await runPlanLoad(loadOptions(env, probed, { ...settings, connections: Math.min(settings.connections, answerable) }));
}

export interface RunMeasurement {
  target: TargetName;
  workload: WorkloadId;
  connections: number;
  latencyMs: number;
  /** 1-based, in the order runs were interleaved. */
  run: number;
  tool: PlanLoadResult['tool'];
  durationS: number;
  /** Logical requests per second (W4: create + delete pairs). */
  requestsPerSecond: number;
  /** Per HTTP request (W4: each step). */
  p50Ms: number;
  p99Ms: number;
  responses: number;
  sent: number;
  non2xx: number;
  graphqlErrors: number;
  socketErrors: number;
  /** Any error at all, no request completed, or the bench did not go quiet before the run: the figures are suspect. */
  flagged: boolean;
  /** False when another target was still busy with abandoned requests when the run started. */
  quietBefore: boolean;
  /** Upstream calls during the run / logical requests sent (token calls excluded). */
  callsPerRequest: number;
  /** Server CPU over the run, in % of one core. */
  cpuPercent: number;
  /** Server CPU time (user + system) over the run per logical request answered, ms: cost, where req/s is speed. */
  cpuMsPerRequest: number;
  /** The sandbox's CPU over the run, in % of one core: near 100 means it, not the target, set the pace. */
  sandboxCpuPercent: number;
  peakRssMB: number;
  rssMethod: 'VmHWM' | 'sampled VmRSS';
}

export async function measureRun(env: BenchEnvironment, probed: Probe, settings: LoadSettings & { latencyMs: number; run: number }): Promise<RunMeasurement> {
  const target = targetOf(env, probed.target);
  const sandboxPid = env.sandbox.process.pid;
  const before = await waitQuiet(env);
  await env.sandbox.resetLedger();
  const memory = watchMemory(target.pid);
  const cpuBefore = cpuSeconds(target.pid);
  const sandboxCpuBefore = cpuSeconds(sandboxPid);
  const startedAt = process.hrtime.bigint();
  const load = await runPlanLoad(loadOptions(env, probed, settings));
  target.process.assertAlive();
  const wallS = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpuAfter = cpuSeconds(target.pid);
  const sandboxCpuAfter = cpuSeconds(sandboxPid);
  const rss = memory.stop();
  // Calls of requests still in flight when the load stopped land after it: count them too.
  const { calls } = await waitQuiet(env);
  const stepCount = probed.steps.length;
  const errors = load.non2xx + load.graphqlErrors + load.socketErrors;
  return {
    target: probed.target,
    workload: probed.workload,
    connections: settings.connections,
    latencyMs: settings.latencyMs,
    run: settings.run,
    tool: load.tool,
    durationS: load.durationS,
    requestsPerSecond: load.responses / stepCount / load.durationS,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    responses: load.responses,
    sent: load.sent,
    non2xx: load.non2xx,
    graphqlErrors: load.graphqlErrors,
    socketErrors: load.socketErrors,
    flagged: errors > 0 || load.responses === 0 || !before.quiet,
    quietBefore: before.quiet,
    callsPerRequest: calls / (load.sent / stepCount),
    cpuPercent: ((cpuAfter - cpuBefore) / wallS) * 100,
    cpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / (load.responses / stepCount),
    sandboxCpuPercent: ((sandboxCpuAfter - sandboxCpuBefore) / wallS) * 100,
    peakRssMB: rss.peakRssBytes / 2 ** 20,
    rssMethod: rss.method,
  };
}

function loadOptions(env: BenchEnvironment, probed: Probe, settings: LoadSettings) {
  return {
    baseUrl: targetOf(env, probed.target).url,
    plan: probed.plan,
    steps: probed.steps,
    connections: settings.connections,
    durationS: settings.durationS,
    graphqlErrors: true,
    pinning: env.pinning,
    tool: settings.tool,
  };
}
