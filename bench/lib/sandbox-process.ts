/**
 * The sandbox as its own process (`bench/sandbox-server.ts`, limits off, no faults), plus the
 * control calls the harness makes on it: upstream latency, and the ledger it counts calls with.
 */
import type { SandboxInfo } from '../sandbox-server.js';
import { startBenchProcess, type BenchProcess } from './bench-process.js';
import { pinned, type Pinning } from './pinning.js';

export type SandboxSize = 'small' | 'medium' | 'large';

export interface SandboxProcess {
  process: BenchProcess;
  /** The JSON line exactly as printed: passed on as BENCH_SANDBOX. */
  text: string;
  line: SandboxInfo;
  /** Adds `ms` of latency to every request of every vendor (0 removes it). */
  setLatency(ms: number): Promise<void>;
  /** Empties the ledger: counts start from zero. */
  resetLedger(): Promise<void>;
  /** Vendor requests served since the last reset, not counting token requests. */
  upstreamCalls(): Promise<number>;
  stop(): Promise<void>;
}

const VENDORS = ['zuora', 'm3ter', 'revio'] as const;

/**
 * Lifetime of tokens the sandbox issues during a bench. Zuora's own (an hour) is shorter than a
 * full run, and targets a, c and d use the harness's tokens without refreshing them.
 */
export const BENCH_TOKEN_LIFETIME_S = 86_400;

/** The sandbox's fault settings for a bench: no faults, long-lived tokens, and the upstream latency. */
function faults(latencyMs: number): object {
  return { tokenLifetimeS: BENCH_TOKEN_LIFETIME_S, ...(latencyMs > 0 ? { rules: [{ kind: 'latency', latencyMs }] } : {}) };
}

export async function startSandboxProcess(options: { size: SandboxSize; pinning: Pinning; cwd: string; echoStderr?: boolean; limits?: 'off' | 'vendor' }): Promise<SandboxProcess> {
  const [command, args] = pinned(options.pinning, options.pinning.loadCore, process.execPath, ['--import', 'tsx', 'bench/sandbox-server.ts']);
  const child = await startBenchProcess({
    label: 'sandbox',
    command,
    args,
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: 'production', SANDBOX_SIZE: options.size, SANDBOX_LATENCY_MS: '0', SANDBOX_LIMITS: options.limits ?? 'off' },
    ready: { kind: 'stdout' },
    timeoutMs: 120_000,
    echoStderr: options.echoStderr,
  });
  const line = child.readyLine as SandboxInfo;
  // The control API answers on every vendor port for the whole sandbox; use Zuora's.
  const control = `${line.urls.zuora}/__sandbox`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${control}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`sandbox control ${method} ${path}: expected 200, got ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  // Before anyone fetches a token: the harness's shared tokens must outlive a full run.
  for (const vendor of VENDORS) await call('PUT', `/faults/${vendor}`, faults(0));
  return {
    process: child,
    text: child.readyText!,
    line,
    async setLatency(ms) {
      for (const vendor of VENDORS) await call('PUT', `/faults/${vendor}`, faults(ms));
    },
    async resetLedger() {
      await call('DELETE', '/ledger');
    },
    async upstreamCalls() {
      // Filtering on the token path keeps the answer small; `total` counts everything regardless.
      const ledger = (await call('GET', '/ledger?path=oauth/token')) as { total: number; count: number };
      return ledger.total - ledger.count;
    },
    stop: () => child.stop(),
  };
}
