/**
 * Waiting for the bench to go quiet. A load generator stops sending when its time is up, but a
 * target keeps working on the requests it had accepted (no GraphQL server aborts resolvers when
 * the client goes away); for a slow target at 64 connections that is many seconds of vendor calls
 * and CPU. Measuring the next target meanwhile would charge it for them, so before and after
 * every measured run the harness waits until the ledger stops growing and no target uses CPU.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnvironment } from './bench-environment.js';
import { cpuSeconds } from './proc-stats.js';

const WINDOW_MS = 250;
/** CPU seconds per window a process may use and still count as idle (timers, GC): 8 %. */
const IDLE_CPU_S = 0.02;

export interface Quiet {
  /** Upstream calls since the last ledger reset, once they stopped moving. */
  calls: number;
  /** False when `maxMs` passed first (the caller logs it; the figures that follow are suspect). */
  quiet: boolean;
  waitedMs: number;
}

export async function waitQuiet(env: BenchEnvironment, maxMs = 300_000): Promise<Quiet> {
  const started = Date.now();
  const pids = [...env.targets.values()].map((t) => t.pid);
  let calls = await env.sandbox.upstreamCalls();
  let cpu = pids.map(cpuSeconds);
  for (;;) {
    await sleep(WINDOW_MS);
    const nextCalls = await env.sandbox.upstreamCalls();
    const nextCpu = pids.map(cpuSeconds);
    const idle = nextCpu.every((s, i) => !(s - cpu[i]! > IDLE_CPU_S));
    if (nextCalls === calls && idle) return { calls, quiet: true, waitedMs: Date.now() - started };
    if (Date.now() - started > maxMs) return { calls: nextCalls, quiet: false, waitedMs: Date.now() - started };
    calls = nextCalls;
    cpu = nextCpu;
  }
}
