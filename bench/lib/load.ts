/**
 * One load run against a URL: wrk (C, from Debian) when installed, since a Node load generator on
 * a 2-core machine saturates before a fast server does; autocannon otherwise. Both report the
 * same figures.
 *
 * `runLoad` sends one fixed GET (bench/sandbox-throughput.ts, wrk pinned to the last core).
 * `runPlanLoad` replays a workload's request plan (bench/run.ts): wrk with a generated Lua script,
 * or autocannon calling the workload's own builders when the plan is `native` or wrk is missing.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchStep } from '../workloads/index.js';
import { pinned, type Pinning } from './pinning.js';
import { uniqueString, uniqueTag, type RequestPlan } from './request-plan.js';
import { RESULT_PREFIX, wrkScript } from './wrk-script.js';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  method?: string;
  body?: string;
}

export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;
const hasTaskset = spawnSync('taskset', ['--version']).status === 0 && cpus().length > 1;

export const loadTool: LoadResult['tool'] = hasWrk ? 'wrk' : 'autocannon';

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return hasWrk && !options.body ? runWrk(options) : runAutocannon(options);
}

function runWrk(options: LoadOptions): LoadResult {
  const wrkArgs = ['-t1', `-c${options.connections}`, `-d${options.durationS}s`, '--latency'];
  for (const [name, value] of Object.entries(options.headers)) wrkArgs.push('-H', `${name}: ${value}`);
  wrkArgs.push(options.url);
  const [command, args] = hasTaskset ? ['taskset', ['-c', String(cpus().length - 1), 'wrk', ...wrkArgs]] : ['wrk', wrkArgs];
  const run = spawnSync(command as string, args as string[], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const number = (pattern: RegExp) => Number(pattern.exec(out)?.[1] ?? NaN);
  return {
    tool: 'wrk',
    requestsPerSecond: Math.round(number(/Requests\/sec:\s+([\d.]+)/)),
    p50Ms: durationMs(/^\s+50%\s+([\d.]+\w+)/m.exec(out)?.[1]),
    p99Ms: durationMs(/^\s+99%\s+([\d.]+\w+)/m.exec(out)?.[1]),
    non2xx: number(/Non-2xx or 3xx responses:\s+(\d+)/) || 0,
  };
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    headers: options.headers,
    method: (options.method ?? 'GET') as 'GET',
    body: options.body,
    connections: options.connections,
    duration: options.durationS,
  });
  return {
    tool: 'autocannon',
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

/** wrk prints "1.23ms", "456.00us" or "1.20s". */
function durationMs(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/**
 * How long one answer may take before the load generator counts a timeout. Generous on purpose:
 * a CPU-bound target shares its core among all connections, so at 64 connections a request that
 * takes 1 s alone is answered after about a minute, and is still an answer.
 */
const ANSWER_TIMEOUT_S = 300;

export interface PlanLoadOptions {
  baseUrl: string;
  plan: RequestPlan;
  /** The workload's steps for this target: autocannon calls them directly. */
  steps: readonly BenchStep[];
  connections: number;
  durationS: number;
  /** Count 2xx answers that carry GraphQL `errors` as failures. */
  graphqlErrors: boolean;
  /** wrk runs on `pinning.loadCore` (autocannon runs inside the harness, pinned by run.ts). */
  pinning: Pinning;
  /** Force autocannon even when wrk is installed. */
  tool?: LoadResult['tool'];
}

export interface PlanLoadResult {
  tool: LoadResult['tool'];
  /** Measured wall time of the run. */
  durationS: number;
  /** HTTP answers received (every step counts). */
  responses: number;
  /** HTTP requests sent, including any cut off by the end of the run. */
  sent: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** 2xx answers with GraphQL `errors`. */
  graphqlErrors: number;
  /** Connect, read and write errors and timeouts. */
  socketErrors: number;
}

export async function runPlanLoad(options: PlanLoadOptions): Promise<PlanLoadResult> {
  const tool = options.tool ?? loadTool;
  return tool === 'wrk' && options.plan.kind !== 'native' ? runWrkPlan(options, options.plan) : runAutocannonSteps(options);
}

async function runWrkPlan(options: PlanLoadOptions, plan: Extract<RequestPlan, { kind: 'single' | 'chain' }>): Promise<PlanLoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'interlink-wrk-'));
  try {
    const script = join(dir, 'plan.lua');
    await writeFile(script, wrkScript({ plan, tag: uniqueTag(), graphqlErrors: options.graphqlErrors }));
    // One thread is plenty for loopback at these rates, and keeps wrk to the load core.
    const wrkArgs = ['-t1', `-c${options.connections}`, `-d${options.durationS}s`, '--timeout', `${ANSWER_TIMEOUT_S}s`, '-s', script, options.baseUrl];
    const [command, args] = pinned(options.pinning, options.pinning.loadCore, 'wrk', wrkArgs);
    const { code, stdout, stderr } = await run(command, args);
    const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${stderr.trim() || stdout.trim()}`);
    const r = JSON.parse(line.slice(RESULT_PREFIX.length)) as Record<string, number>;
    const n = (name: string) => r[name] ?? NaN;
    return {
      tool: 'wrk',
      durationS: n('durationUs') / 1e6,
      responses: n('requests'),
      sent: n('sent'),
      p50Ms: n('p50Us') / 1000,
      p99Ms: n('p99Us') / 1000,
      non2xx: n('non2xx'),
      graphqlErrors: n('graphqlErrors'),
      socketErrors: n('connectErrors') + n('readErrors') + n('writeErrors') + n('timeouts'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Spawns without blocking the event loop (the harness samples memory meanwhile). */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface ChainContext {
  previous?: unknown;
  unique?: string;
}

async function runAutocannonSteps(options: PlanLoadOptions): Promise<PlanLoadResult> {
  const tag = uniqueTag();
  let counter = 0;
  let graphqlErrors = 0;
  const started = Date.now();
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationS,
    timeout: ANSWER_TIMEOUT_S,
    requests: options.steps.map((step, index) => ({
      setupRequest: (request: autocannon.Request, context: object) => {
        const chain = context as ChainContext;
        if (index === 0) {
          chain.previous = undefined;
          chain.unique = uniqueString(tag, ++counter);
        }
        try {
          const built = step.request({ previous: chain.previous, unique: chain.unique ?? uniqueString(tag, ++counter) });
          return { ...request, method: built.method, path: built.path, headers: built.headers, body: built.body };
        } catch {
          // The step before failed, so this one cannot be built: a falsy value restarts the chain.
          return undefined as unknown as autocannon.Request;
        }
      },
      onResponse: (status: number, body: string, context: object) => {
        const chain = context as ChainContext;
        chain.previous = undefined;
        if (status < 200 || status > 299) return;
        if (options.graphqlErrors && body.includes('"errors"')) {
          graphqlErrors++;
          return;
        }
        try {
          chain.previous = JSON.parse(body);
        } catch {
          // Not JSON: the next step cannot be built and restarts the chain.
        }
      },
    })),
  });
  return {
    tool: 'autocannon',
    durationS: result.duration || (Date.now() - started) / 1000,
    responses: result.requests.total,
    sent: result.requests.sent,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    graphqlErrors,
    socketErrors: result.errors,
  };
}
