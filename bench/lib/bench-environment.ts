/**
 * Everything a bench run needs up at once: the sandbox (its own process), the shared tokens, and
 * each target as its own process, pinned to the server core. Targets start one after another so
 * their start-up work (compiling, composing) does not overlap. A native target (Tailcall) writes
 * its config first and is spawned as itself, like the Node ones.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchProcess, type BenchProcess } from './bench-process.js';
import { fetchTokens, type BenchTokens } from './fetch-tokens.js';
import { freePort } from './free-port.js';
import { prepareInterlink, type InterlinkSetup } from './interlink-env.js';
import { pinned, type Pinning } from './pinning.js';
import { rssMB } from './proc-stats.js';
import { startSandboxProcess, type SandboxProcess, type SandboxSize } from './sandbox-process.js';
import { targetDescriptor, type LaunchInputs, type PreparedCommand, type TargetDescriptor, type TargetName } from '../targets/index.js';
import type { WorkloadContext } from '../workloads/index.js';

export interface RunningTarget {
  name: TargetName;
  descriptor: TargetDescriptor;
  url: string;
  pid: number;
  process: BenchProcess;
  /** What the report should say about how it ran (a native target's version), if anything. */
  note?: string;
  /** Resident memory a second after it answered ready, before any bench request: what load adds to. */
  idleRssMB: number;
}

/** Start-up work (module loading, JIT of the first requests' paths aside) settles within a second. */
const IDLE_SETTLE_MS = 1000;

export interface BenchEnvironment {
  pinning: Pinning;
  sandbox: SandboxProcess;
  tokens: BenchTokens;
  /** What workloads build requests from (the sandbox line and Interlink's API key). */
  context: WorkloadContext;
  targets: Map<TargetName, RunningTarget>;
  /** Stops every process and removes temporary files; safe to call twice. */
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  size: SandboxSize;
  targets: readonly TargetName[];
  pinning: Pinning;
  /** Repository root: targets are started from there. */
  cwd: string;
  interlinkFromSource?: boolean;
  /** In-flight sharing in Tailcall and Interlink; default on (--dedupe). */
  dedupe?: boolean;
  echoStderr?: boolean;
  /** Per target; Mesh may compose its schema on start. */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export async function startEnvironment(options: EnvironmentOptions): Promise<BenchEnvironment> {
  const log = options.log ?? (() => {});
  // Processes and temporary files, stopped and removed in reverse order.
  const started: { stop(): Promise<void> }[] = [];
  let interlink: InterlinkSetup | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const child of started.reverse()) await child.stop().catch(() => {});
    await interlink?.cleanup();
  };
  try {
    log(`starting the sandbox (${options.size})`);
    const sandbox = await startSandboxProcess({ size: options.size, pinning: options.pinning, cwd: options.cwd, echoStderr: options.echoStderr });
    started.push(sandbox);
    const tokens = await fetchTokens(sandbox.line);
    interlink = options.targets.includes('interlink') ? await prepareInterlink(sandbox.line) : undefined;
    const context: WorkloadContext = { sandbox: sandbox.line, apiKey: interlink?.apiKey ?? '', tailcallRequestIds: options.dedupe === false };
    const targets = new Map<TargetName, RunningTarget>();
    for (const name of options.targets) {
      const descriptor = targetDescriptor(name, { interlinkFromSource: options.interlinkFromSource, dedupe: options.dedupe });
      const port = await freePort();
      const startedAt = Date.now();
      log(`starting ${descriptor.title}`);
      const launch = await launchOf(descriptor, { sandbox: sandbox.line, tokens, port, cwd: options.cwd });
      if (launch.cleanup) started.push({ stop: launch.cleanup });
      const [command, args] = pinned(options.pinning, options.pinning.serverCore, launch.command, launch.args);
      const child = await startBenchProcess({
        label: `target ${name}`,
        command,
        args,
        cwd: options.cwd,
        env: {
          ...process.env,
          ...descriptor.env,
          ...launch.env,
          ...(name === 'interlink' ? { ...interlink!.env, INTERLINK_PORT: String(port) } : {}),
          BENCH_SANDBOX: sandbox.text,
          BENCH_TOKENS: JSON.stringify(tokens),
          PORT: String(port),
        },
        ready: descriptor.ready === 'stdout' ? { kind: 'stdout' } : { kind: 'poll', url: `http://127.0.0.1:${port}${descriptor.ready.poll}` },
        timeoutMs: options.startTimeoutMs ?? 120_000,
        echoStderr: options.echoStderr,
      });
      started.push(child);
      const url = descriptor.ready === 'stdout' ? targetUrl(name, child.readyLine) : `http://127.0.0.1:${port}`;
      await sleep(IDLE_SETTLE_MS);
      targets.set(name, { name, descriptor, url, pid: child.pid, process: child, idleRssMB: rssMB(child.pid), ...(launch.note ? { note: launch.note } : {}) });
      log(`  ${name} ready at ${url} (pid ${child.pid}, ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    }
    return { pinning: options.pinning, sandbox, tokens, context, targets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The command a target starts with: `node <nodeArgs>`, or what a native target prepared. */
async function launchOf(descriptor: TargetDescriptor, inputs: LaunchInputs): Promise<Omit<PreparedCommand, 'note' | 'cleanup'> & Partial<Pick<PreparedCommand, 'note' | 'cleanup'>>> {
  return descriptor.kind === 'node' ? { command: process.execPath, args: descriptor.nodeArgs, env: {} } : descriptor.prepare(inputs);
}

function targetUrl(name: TargetName, line: unknown): string {
  const url = (line as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) {
    throw new Error(`target ${name} printed ${JSON.stringify(line)}; expected {"url":"http://127.0.0.1:<port>"}`);
  }
  return url;
}
