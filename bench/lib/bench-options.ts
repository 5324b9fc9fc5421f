/**
 * Command-line options of `npm run bench` (bench/run.ts). Every option has a default for the full
 * run; `--quick` changes the defaults to a subset that finishes in under 3 minutes, and explicit
 * options override either.
 */
import { WORKLOAD_IDS, type TargetName, type WorkloadId } from '../workloads/index.js';
import { TARGET_LETTERS, TARGET_NAMES } from '../targets/index.js';
import type { SandboxSize } from './sandbox-process.js';

export interface BenchOptions {
  quick: boolean;
  targets: TargetName[];
  workloads: WorkloadId[];
  connections: number[];
  /** Upstream latency added by the sandbox to every vendor request, ms. */
  latencies: number[];
  /** One extra cell after the matrix at realistic vendor latency (LATENCY_ROW), or undefined. */
  latencyRow: LatencyRow | undefined;
  /** Seconds per measured run (at least; see `rounds`). */
  durationS: number;
  /** Runs of slow targets are lengthened to give each connection this many answers (0: never). */
  rounds: number;
  /** Upper bound of a lengthened run, s. */
  maxDurationS: number;
  /** Logical requests sent one at a time per target × workload to count upstream calls exactly. */
  probeRequests: number;
  /** Seconds of load per target before a cell's measured runs. */
  warmupS: number;
  runs: number;
  size: SandboxSize;
  /** Force a load tool (default: wrk when installed). */
  tool: 'wrk' | 'autocannon' | undefined;
  /** Interlink from src/ through tsx instead of the production build. */
  interlinkFromSource: boolean;
  /**
   * In-flight sharing in the two targets that have it (default on, as the issue asks for
   * Tailcall): Tailcall's dedupe, and Interlink's query coalescing and shared vendor reads. Every
   * bench request is the same, so sharing spreads one request's work over concurrent ones; off,
   * every request does its own upstream work, as targets a, c and d do. calls/req (load) shows which.
   */
  dedupe: boolean;
  pin: boolean;
  verbose: boolean;
}

export interface LatencyRow {
  workload: WorkloadId;
  latencyMs: number;
  connections: number;
}

/**
 * The issue's latency row: W1 at a realistic 100 ms per vendor call on 4 connections, where the
 * p50 is set by how many vendor round trips a request waits for one after another, not by CPU.
 */
export const LATENCY_ROW: LatencyRow = { workload: 'W1', latencyMs: 100, connections: 4 };

export const USAGE = `npm run bench [-- options]

  --quick                 latency 0 ms, 16 connections, 1 warm-up + 1 run of 2 s (slow targets up to 10 s)
                          per target × workload (< 3 min)
  --targets=direct,interlink,naive,mesh,tailcall   (or letters a,b,c,d,e) which targets, default all
                          (tailcall expresses W1 and W3 only; its other workloads are skipped and noted)
  --workloads=W1,W2,W3,W4 which workloads, default all
  --connections=16,64     connection counts, default 16,64
  --latency=0,5           sandbox upstream latency in ms, default 0,5
  --latency-row           after the matrix, W1 at 100 ms upstream latency on 4 connections (default on;
  --no-latency-row        quick off) for the p50 of Interlink against the direct client
  --duration=5            seconds per measured run (default 5; quick 2)
  --rounds=2              lengthen a slow target's runs so each connection gets about this many answers
                          (judged from its probe latency; default 2, quick 1; 0: never)
  --max-duration=90       upper bound of a lengthened run in seconds (default 90; quick 10)
  --warmup=2              seconds of warm-up load per target and cell (default 2; quick 1), on as many
                          connections as the target can answer in that time
  --runs=3                measured runs per target and cell, interleaved (default 3; quick 1)
  --probe-requests=3      requests sent one at a time per target × workload to count upstream calls
                          (default 3; quick 1)
  --size=large            sandbox seed preset: small, medium, large
  --tool=wrk|autocannon   load generator (default wrk when installed)
  --from-source           Interlink from src/ via tsx instead of dist/ (no build needed)
  --dedupe=off            Tailcall without its in-flight dedupe and Interlink without query coalescing
                          and shared vendor reads (default on), so concurrent identical requests share
                          no work; compare calls/req (load). --tailcall-dedupe is the old name
  --no-pin                do not pin processes to cores with taskset
  --verbose               echo every child process's stderr

Interlink runs from its production build (dist/, NODE_ENV=production); the bench runs
\`npm run build\` first when dist/ is missing or older than src/ or schema/.`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const flags = new Map<string, string | true>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unexpected argument "${arg}"; options look like --name or --name=value\n\n${USAGE}`);
    flags.set(match[1]!, match[2] ?? true);
  }
  if (flags.has('help')) return 'help';
  const known = ['quick', 'targets', 'workloads', 'connections', 'latency', 'duration', 'rounds', 'max-duration', 'warmup', 'runs', 'probe-requests', 'size', 'tool', 'from-source', 'no-pin', 'verbose', 'latency-row', 'no-latency-row', 'dedupe', 'tailcall-dedupe'];
  const unknown = [...flags.keys()].filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`unknown option ${unknown.map((k) => `--${k}`).join(', ')}\n\n${USAGE}`);

  const quick = flags.get('quick') === true;
  const text = (name: string): string | undefined => {
    const value = flags.get(name);
    if (value === true) throw new Error(`--${name} needs a value (--${name}=...)`);
    return value;
  };
  const list = (name: string) => text(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  // Whole numbers only: wrk takes whole seconds.
  const numbers = (name: string, min: number, fallback: number[]) =>
    list(name)?.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be whole numbers ≥ ${min}, got "${s}"`);
      return n;
    }) ?? fallback;
  const single = (name: string, min: number, fallback: number) => {
    const [n, ...rest] = numbers(name, min, [fallback]);
    if (rest.length) throw new Error(`--${name} takes one number`);
    return n!;
  };

  const targets =
    list('targets')?.map((t) => {
      const name = TARGET_NAMES.find((n) => n === t || TARGET_LETTERS[n] === t);
      if (!name) throw new Error(`--targets: unknown target "${t}"; use ${TARGET_NAMES.join(', ')} (or ${TARGET_NAMES.map((n) => TARGET_LETTERS[n]).join(', ')})`);
      return name;
    }) ?? [...TARGET_NAMES];
  const workloads =
    list('workloads')?.map((w) => {
      const id = WORKLOAD_IDS.find((i) => i === w.toUpperCase());
      if (!id) throw new Error(`--workloads: unknown workload "${w}"; use ${WORKLOAD_IDS.join(', ')}`);
      return id;
    }) ?? [...WORKLOAD_IDS];
  const size = text('size') ?? 'large';
  if (size !== 'small' && size !== 'medium' && size !== 'large') throw new Error(`--size must be small, medium or large, got "${size}"`);
  const dedupe = text('dedupe') ?? text('tailcall-dedupe') ?? 'on';
  if (dedupe !== 'on' && dedupe !== 'off') throw new Error(`--dedupe must be on or off, got "${dedupe}"`);
  const tool = text('tool');
  if (tool !== undefined && tool !== 'wrk' && tool !== 'autocannon') throw new Error(`--tool must be wrk or autocannon, got "${tool}"`);

  return {
    quick,
    // Interleaving follows the a, b, c, d, e order whatever order they were named in.
    targets: TARGET_NAMES.filter((n) => targets.includes(n)),
    workloads: WORKLOAD_IDS.filter((w) => workloads.includes(w)),
    connections: numbers('connections', 1, quick ? [16] : [16, 64]),
    latencies: numbers('latency', 0, quick ? [0] : [0, 5]),
    latencyRow: flags.has('no-latency-row') ? undefined : flags.has('latency-row') || !quick ? LATENCY_ROW : undefined,
    durationS: single('duration', 1, quick ? 2 : 5),
    rounds: single('rounds', 0, quick ? 1 : 2),
    maxDurationS: single('max-duration', 1, quick ? 10 : 90),
    warmupS: single('warmup', 0, quick ? 1 : 2),
    runs: single('runs', 1, quick ? 1 : 3),
    probeRequests: single('probe-requests', 1, quick ? 1 : 3),
    size,
    tool,
    interlinkFromSource: flags.has('from-source'),
    dedupe: dedupe === 'on',
    pin: !flags.has('no-pin'),
    verbose: flags.has('verbose'),
  };
}

/** `full` only for the whole matrix the issue asks for; anything less never replaces bench/RESULTS.md. */
export function runKind(o: BenchOptions): 'full' | 'quick' | 'partial' {
  if (o.quick) return 'quick';
  const full =
    o.targets.length === TARGET_NAMES.length &&
    o.workloads.length === WORKLOAD_IDS.length &&
    [16, 64].every((c) => o.connections.includes(c)) &&
    [0, 5].every((l) => o.latencies.includes(l)) &&
    o.runs >= 3 &&
    o.latencyRow !== undefined &&
    o.size === 'large' &&
    !o.interlinkFromSource &&
    o.dedupe;
  return full ? 'full' : 'partial';
}
