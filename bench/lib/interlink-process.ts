/**
 * One Interlink process from a production build, for the tools that run Interlink beside or
 * instead of the bench's targets (bench:ab, bench:profile, bench:replicas): started from any
 * build folder (`revision-build.ts`), with the bench's Interlink environment and more, ready when
 * `/readyz` answers, and wrapped as a one-target bench environment so `probe()` and the load
 * functions work on it as on the bench's own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnvironment, RunningTarget } from './bench-environment.js';
import { startBenchProcess } from './bench-process.js';
import type { BenchTokens } from './fetch-tokens.js';
import { freePort } from './free-port.js';
import { INTERLINK_BUILD } from './ensure-build.js';
import { pinned, type Pinning } from './pinning.js';
import { rssMB } from './proc-stats.js';
import type { SandboxProcess } from './sandbox-process.js';
import { targetDescriptor } from '../targets/index.js';

export interface InterlinkProcessOptions {
  label: string;
  /** The build's folder (its `dist/src/index.js` runs with this as cwd). */
  root: string;
  /** The bench's Interlink environment (`prepareInterlink().env`) and whatever the tool adds. */
  env: Record<string, string>;
  /** Pinned to the server core when pinning is on. */
  pinning: Pinning;
  /** Node flags before the entry point, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

export async function startInterlinkProcess(options: InterlinkProcessOptions): Promise<RunningTarget> {
  const port = await freePort();
  const [command, args] = pinned(options.pinning, options.pinning.serverCore, process.execPath, [...(options.nodeFlags ?? []), INTERLINK_BUILD]);
  const child = await startBenchProcess({
    label: options.label,
    command,
    args,
    cwd: options.root,
    env: { ...process.env, NODE_ENV: 'production', ...options.env, INTERLINK_PORT: String(port) },
    ready: { kind: 'poll', url: `http://127.0.0.1:${port}/readyz` },
    timeoutMs: 60_000,
  });
  // Idle memory: after start-up settles, before any bench request.
  await sleep(1000);
  return { name: 'interlink', descriptor: targetDescriptor('interlink'), url: `http://127.0.0.1:${port}`, pid: child.pid, process: child, idleRssMB: rssMB(child.pid) };
}

/** A bench environment holding just this target, for `probe()`, `waitQuiet()` and the load functions. */
export function oneTargetEnvironment(target: RunningTarget, parts: { pinning: Pinning; sandbox: SandboxProcess; tokens: BenchTokens; apiKey: string }): BenchEnvironment {
  return { pinning: parts.pinning, sandbox: parts.sandbox, tokens: parts.tokens, context: { sandbox: parts.sandbox.line, apiKey: parts.apiKey }, targets: new Map([['interlink', target]]), stop: async () => {} };
}
