/**
 * `npm run bench`: Interlink against direct REST, naive Apollo Server, GraphQL Mesh and Tailcall,
 * side by side in one run. `npm run bench -- --help` lists the options; `--quick` is a subset
 * that finishes in under 3 minutes.
 *
 * One run: start the sandbox (large seed, vendor limits off, its own process on the load core),
 * fetch the shared tokens, start the five targets (each its own process on the server core), and
 * probe each target × workload it expresses (check every answer, learn the request plan for wrk,
 * count upstream calls exactly; Tailcall expresses W1 and W3 only). Then, per upstream latency ×
 * workload × connection count: a warm-up per target (with a check), then `runs` measured runs with
 * the targets interleaved (a, b, c, d, e, a, …) so drift shows. Last, the latency row (W1 at
 * 100 ms per vendor call, 4 connections) when asked. Only the target under test has load at any
 * time.
 *
 * The pieces are exported so the smoke test (test/bench/harness-smoke.test.ts) can run them at
 * tiny scale without this file's command line.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseBenchArgs, runKind, USAGE, type BenchOptions } from './lib/bench-options.js';
import { startEnvironment, type BenchEnvironment } from './lib/bench-environment.js';
import { INTERLINK_LOG_LEVEL } from './lib/interlink-env.js';
import { loadTool } from './lib/load.js';
import { ensureBuild } from './lib/ensure-build.js';
import { describeMachine } from './lib/machine.js';
import { checkOnce, measureRun, probe, runDurationS, warmUp, type Probe, type RunMeasurement } from './lib/measure.js';
import { waitQuiet } from './lib/quiesce.js';
import { pinSelf } from './lib/pin-self.js';
import { detectPinning, type Pinning } from './lib/pinning.js';
import { printedReport, writeReport, type BenchReport } from './lib/report.js';
import { goals, ratios, summarizeCells } from './lib/summarize.js';
import { expresses, TARGET_LETTERS, TARGET_NAMES, targetDescriptor } from './targets/index.js';
import { WORKLOADS, type TargetName, type Workload, type WorkloadId } from './workloads/index.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RunDeps {
  /** Repository root (targets start from there). */
  cwd?: string;
  log?: (line: string) => void;
  /** Called once the processes are up, so a signal handler can stop them. */
  onEnvironment?: (env: BenchEnvironment) => void;
}

/**
 * Probes every target × workload the target expresses: each probe checks answers, learns the plan
 * and counts calls. The pairs left out are listed by `notExpressed`.
 */
export async function probeAll(env: BenchEnvironment, workloads: readonly Workload[], log: (line: string) => void = () => {}, requests = 3): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const workload of workloads) {
    for (const target of env.targets.keys()) {
      if (!expresses(target, workload.id)) {
        log(`  ${workload.id} ${target.padEnd(9)} not expressed (${env.targets.get(target)!.descriptor.notExpressedSee ?? 'see its README'}): skipped`);
        continue;
      }
      const probed = await probe(env, target, workload, requests);
      probes.push(probed);
      const how = probed.plan.kind === 'native' ? `autocannon (${probed.plan.reason})` : `wrk ${probed.plan.kind}`;
      log(`  ${workload.id} ${target.padEnd(9)} check ok, ${probed.callsPerRequest.toFixed(2)} upstream calls/request, ${probed.latencyMs.toFixed(1)} ms alone, load by ${how}`);
    }
  }
  return probes;
}

export async function runBench(options: BenchOptions, deps: RunDeps = {}): Promise<BenchReport> {
  const cwd = deps.cwd ?? REPO_ROOT;
  const started = new Date();
  const log = deps.log ?? ((line: string) => console.log(`[${elapsed(started)}] ${line}`));
  const pinning: Pinning = options.pin ? detectPinning() : { enabled: false, loadCore: 0, serverCore: 0, note: 'pinning off (--no-pin)' };
  const tool = options.tool ?? loadTool;
  // This process reads the ledger, samples memory and, with autocannon, generates the load: load core.
  if (pinning.enabled) pinSelf(pinning);
  if (options.targets.includes('interlink') && !options.interlinkFromSource) ensureBuild(cwd, log);
  const workloads = WORKLOADS.filter((w) => options.workloads.includes(w.id));

  log(`bench: ${runKind(options)} run; targets ${options.targets.join(', ')}; ${options.workloads.join(', ')}; connections ${options.connections.join(', ')}; upstream latency ${options.latencies.join(', ')} ms; ${options.runs} run(s) of ${options.durationS} s after ${options.warmupS} s warm-up; load by ${tool}; ${pinning.note}`);
  const env = await startEnvironment({
    size: options.size,
    targets: options.targets,
    pinning,
    cwd,
    interlinkFromSource: options.interlinkFromSource,
    dedupe: options.dedupe,
    echoStderr: options.verbose,
    log,
  });
  deps.onEnvironment?.(env);
  const targetNotes = [...env.targets.values()].flatMap((t) => (t.note ? [`(${TARGET_LETTERS[t.name]}) ${t.note}.`] : []));
  let probes: Probe[];
  let runs: RunMeasurement[];
  try {
    log('probing (checks, request plans, exact upstream calls per request):');
    probes = await probeAll(env, workloads, log, options.probeRequests);
    runs = await measureMatrix(env, probes, { ...options, tool }, log);
  } finally {
    await env.stop();
  }
  const idleRssMB = Object.fromEntries([...env.targets.values()].map((t) => [t.name, t.idleRssMB]));
  return buildReport({ options, tool, pinning, cwd, started, finished: new Date(), probes, runs, targetNotes, idleRssMB });
}

export type MatrixOptions = Pick<BenchOptions, 'workloads' | 'connections' | 'latencies' | 'runs' | 'durationS' | 'warmupS' | 'rounds' | 'maxDurationS' | 'latencyRow'> & {
  tool: BenchOptions['tool'];
};

/**
 * The measured part: per upstream latency × workload × connection count, a checked warm-up per
 * target, then `runs` rounds with the targets interleaved; then the latency row, if asked. Only
 * workloads in `options.workloads` are measured, each on the targets that were probed on it (a
 * target that does not express a workload has no probe). A target whose probe is missing for
 * any other reason stops the run: probeAll throws first.
 */
export async function measureMatrix(env: BenchEnvironment, probes: readonly Probe[], options: MatrixOptions, log: (line: string) => void = () => {}): Promise<RunMeasurement[]> {
  const runs: RunMeasurement[] = [];
  for (const latencyMs of options.latencies) {
    await env.sandbox.setLatency(latencyMs);
    for (const workload of options.workloads) {
      for (const connections of options.connections) runs.push(...(await measureCell(env, probes, { ...options, workload, connections, latencyMs }, log)));
    }
  }
  const row = options.latencyRow;
  if (row && options.workloads.includes(row.workload)) {
    await env.sandbox.setLatency(row.latencyMs);
    runs.push(...(await measureCell(env, probes, { ...options, ...row }, log)));
  }
  await env.sandbox.setLatency(0);
  return runs;
}

type CellOptions = Omit<MatrixOptions, 'workloads' | 'connections' | 'latencies' | 'latencyRow'> & { workload: WorkloadId; connections: number; latencyMs: number };

/** One cell (the sandbox's latency already set): a checked warm-up per target, then `runs` interleaved rounds. */
async function measureCell(env: BenchEnvironment, probes: readonly Probe[], options: CellOptions, log: (line: string) => void): Promise<RunMeasurement[]> {
  const { workload, connections, latencyMs, tool } = options;
  const cellProbes = [...env.targets.keys()].flatMap((t) => probes.filter((p) => p.target === t && p.workload === workload));
  if (cellProbes.length === 0) return [];
  const runs: RunMeasurement[] = [];
  log(`${workload}, ${connections} connections, upstream latency ${latencyMs} ms:`);
  for (const probed of cellProbes) {
    await checkOnce(env, probed);
    if (options.warmupS > 0) {
      await warmUp(env, probed, { connections, durationS: options.warmupS, tool });
      await waitQuiet(env);
    }
  }
  for (let run = 1; run <= options.runs; run++) {
    for (const probed of cellProbes) {
      const durationS = runDurationS(probed, connections, options.durationS, options);
      const m = await measureRun(env, probed, { connections, durationS, tool, latencyMs, run });
      runs.push(m);
      log(`  run ${run}/${options.runs} ${m.target.padEnd(9)} ${describeRun(m)}`);
    }
  }
  return runs;
}

export interface ReportInput {
  options: BenchOptions;
  tool: 'wrk' | 'autocannon';
  pinning: Pinning;
  cwd: string;
  started: Date;
  finished: Date;
  probes: readonly Probe[];
  runs: RunMeasurement[];
  /** Notes on how targets ran (a native target's version), from RunningTarget.note. */
  targetNotes?: string[];
  /** Each target's resident memory before any bench request (RunningTarget.idleRssMB). */
  idleRssMB?: Partial<Record<TargetName, number>>;
}

/** Medians, ratios, the targets met or missed, and the context a reader needs to trust them. */
export function buildReport(input: ReportInput): BenchReport {
  const { options, started, finished, probes, runs } = input;
  const cells = summarizeCells(runs, probes);
  const ratioList = ratios(cells);
  return {
    kind: runKind(options),
    date: localDate(started),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationS: (finished.getTime() - started.getTime()) / 1000,
    options: { ...options },
    machine: describeMachine(input.tool, input.pinning, input.cwd),
    notes: [...notes(options, probes), ...(input.targetNotes ?? []), ...idleNote(input.idleRssMB ?? {})],
    probes: probes.map(({ steps: _steps, ...rest }) => rest),
    runs,
    cells,
    ratios: ratioList,
    idleRssMB: input.idleRssMB ?? {},
    goals: goals(cells, probes, ratioList, input.idleRssMB ?? {}),
  };
}

function idleNote(idle: Partial<Record<TargetName, number>>): string[] {
  const known = TARGET_NAMES.filter((name) => idle[name] !== undefined && Number.isFinite(idle[name]));
  if (known.length === 0) return [];
  return [`Idle RSS (a second after start, before any bench request): ${known.map((name) => `(${TARGET_LETTERS[name]}) ${idle[name]!.toFixed(0)} MB`).join(', ')}.`];
}

function describeRun(m: RunMeasurement): string {
  const errors = m.non2xx + m.graphqlErrors + m.socketErrors;
  return [
    `${(m.requestsPerSecond >= 10 ? Math.round(m.requestsPerSecond).toLocaleString('en-US') : m.requestsPerSecond.toFixed(2)).padStart(7)} req/s`,
    `p50 ${m.p50Ms.toFixed(2)} ms`,
    `p99 ${m.p99Ms.toFixed(2)} ms`,
    `${m.callsPerRequest.toFixed(2)} calls/req`,
    `CPU ${m.cpuPercent.toFixed(0)}%`,
    `${m.cpuMsPerRequest.toFixed(3)} CPU ms/req`,
    `RSS ${m.peakRssMB.toFixed(0)} MB`,
    `sandbox CPU ${m.sandboxCpuPercent.toFixed(0)}%`,
    `${m.durationS.toFixed(0)} s`,
    errors ? `ERRORS ${errors} (non-2xx ${m.non2xx}, GraphQL ${m.graphqlErrors}, socket ${m.socketErrors})` : '',
    m.responses === 0 ? 'NOTHING COMPLETED (lengthen --duration)' : '',
    m.quietBefore ? '' : 'NOT QUIET BEFORE THE RUN (another target was still busy)',
  ]
    .filter(Boolean)
    .join(', ');
}

function notes(options: BenchOptions, probes: readonly Probe[]): string[] {
  const out = [
    `Sandbox: \`${options.size}\` seed, vendor rate limits off, no faults; upstream latency added to every vendor request by a sandbox latency rule.`,
    options.interlinkFromSource
      ? 'Interlink (b) ran from source through tsx (--from-source), not the production build.'
      : 'Interlink (b): production build (`dist/src/index.js`), NODE_ENV=production.',
    options.dedupe
      ? 'In-flight sharing on: Tailcall (e) dedupes, and Interlink (b) coalesces identical queries in flight and shares identical vendor reads; every bench request is the same, so concurrent requests share work ("calls/req (load)" shows how much).'
      : 'In-flight sharing off (--dedupe=off): Tailcall without dedupe, Interlink with INTERLINK_COALESCE_QUERIES and INTERLINK_SHARE_VENDOR_READS off, so every request does its own upstream work.',
    `Interlink logs at \`${INTERLINK_LOG_LEVEL}\` (INTERLINK_LOG_LEVEL) and its client-side vendor limiters are opened up (concurrency 256, no rate cap), as no other target has one.`,
    'W4 is counted in logical operations (one create + one delete = one operation) per second.',
    'Targets a, c, d and e share one Zuora and one m3ter token fetched by the harness; Interlink fetches its own. Token calls are not counted. The sandbox issues 24-hour tokens during a bench (Zuora’s usual hour is shorter than a full run).',
    'CPU ms/req is the server process’s user + system CPU time over a run divided by the logical requests it answered in that run.',
  ];
  if (options.latencyRow) {
    const { workload, latencyMs, connections } = options.latencyRow;
    out.push(`Latency row: ${workload} at ${latencyMs} ms upstream latency per vendor call and ${connections} connections, measured after the matrix; its b/a p50 ratio shows whether Interlink's vendor round trips are as few and as parallel as the direct client's.`);
  }
  const skipped = notExpressed(options.targets, options.workloads);
  for (const [target, workloads] of skipped) {
    out.push(`(${TARGET_LETTERS[target]}) ${target}: ${workloads.join(', ')} not expressed, so not measured (why: ${targetDescriptor(target).notExpressedSee ?? 'its README'}).`);
  }
  for (const p of probes.filter((p) => p.plan.kind === 'native')) {
    out.push(`${p.workload} on ${p.target} was driven by autocannon, not wrk: ${(p.plan as { reason: string }).reason}.`);
  }
  return out;
}

/** Targets and the workloads they were asked for but do not express. */
function notExpressed(targets: readonly TargetName[], workloads: readonly WorkloadId[]): [TargetName, WorkloadId[]][] {
  return targets.flatMap((t) => {
    const missing = workloads.filter((w) => !expresses(t, w));
    return missing.length ? [[t, missing] as [TargetName, WorkloadId[]]] : [];
  });
}

/** m:ss since `since`. */
function elapsed(since: Date): string {
  const s = Math.floor((Date.now() - since.getTime()) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

async function main(): Promise<void> {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  let env: BenchEnvironment | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the sandbox and targets`);
    void (env?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const report = await runBench(parsed, { onEnvironment: (e) => (env = e) });
  console.log(`\n${printedReport(report)}\n`);
  const files = await writeReport(report, REPO_ROOT);
  console.log(`wrote ${files.json} and ${files.markdown} (${(report.durationS / 60).toFixed(1)} min)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
