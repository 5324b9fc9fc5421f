/**
 * One load run against a URL: wrk (C, from Debian) when installed, pinned to the last core, since
 * a Node load generator on a 2-core machine saturates before a fast server does; autocannon
 * otherwise. Both report the same figures.
 */
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

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
