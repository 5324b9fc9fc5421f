/**
 * One child process of the bench (the sandbox or a target): spawned directly so its pid is the
 * server, ready when it prints its JSON line or answers a readiness URL, stopped with SIGTERM.
 * Its stderr is kept (last lines only) to explain a failed start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartOptions {
  /** Names the process in errors ("target naive"). */
  label: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `stdout`: wait for the first stdout line (JSON). `poll`: wait for GET `url` to answer 200. */
  ready: { kind: 'stdout' } | { kind: 'poll'; url: string };
  timeoutMs: number;
  /** Copy the child's stderr to ours as it arrives (debugging). */
  echoStderr?: boolean;
}

export interface BenchProcess {
  label: string;
  pid: number;
  /** Parsed first stdout line (`stdout` readiness), else undefined. */
  readyLine: unknown;
  /** The first stdout line as printed. */
  readyText: string | undefined;
  /** Last lines the process wrote to stderr. */
  stderrTail(): string;
  /** Throws, with the stderr tail, if the process has exited. */
  assertAlive(): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash would; resolves when it has exited. */
  kill(): Promise<void>;
}

const TAIL_LINES = 40;

export async function startBenchProcess(options: StartOptions): Promise<BenchProcess> {
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    if (options.echoStderr) process.stderr.write(`[${options.label}] ${line}\n`);
  });
  const stdoutLines = createInterface({ input: child.stdout! });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const stderrTail = () => tail.join('\n');
  const fail = (why: string) => new Error(`${options.label} ${why}${tail.length ? `; its stderr ends:\n${stderrTail()}` : ''}`);

  let readyText: string | undefined;
  try {
    const waitReady =
      options.ready.kind === 'stdout'
        ? new Promise<string>((resolve) => stdoutLines.once('line', resolve))
        : pollUntilOk(options.ready.url, options.timeoutMs, () => child.exitCode === null && child.signalCode === null).then(() => undefined);
    const outcome = await Promise.race([
      waitReady.then((line) => ({ kind: 'ready' as const, line })),
      exited.then((code) => ({ kind: 'exited' as const, code })),
      sleep(options.timeoutMs).then(() => ({ kind: 'timeout' as const })),
    ]);
    if (outcome.kind === 'exited') throw fail(`exited with ${outcome.code} before it was ready`);
    if (outcome.kind === 'timeout') throw fail(`was not ready within ${options.timeoutMs} ms`);
    readyText = outcome.line ?? undefined;
  } catch (error) {
    await stopChild(child, exited, 2000);
    throw error;
  }
  // Keep draining stdout so a chatty target never blocks on a full pipe.
  stdoutLines.on('line', () => {});

  let readyLine: unknown;
  if (readyText !== undefined) {
    try {
      readyLine = JSON.parse(readyText);
    } catch {
      await stopChild(child, exited, 2000);
      throw fail(`printed ${JSON.stringify(readyText.slice(0, 200))} as its first stdout line; expected one JSON line`);
    }
  }
  return {
    label: options.label,
    pid: child.pid!,
    readyLine,
    readyText,
    stderrTail,
    assertAlive() {
      if (child.exitCode !== null || child.signalCode !== null) throw fail(`exited (${child.exitCode ?? child.signalCode}) while the bench was running`);
    },
    stop: (graceMs = 5000) => stopChild(child, exited, graceMs),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Resolves on the first 200 from `url`; refusals and other answers retry every 100 ms while the process lives. */
async function pollUntilOk(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  // Gave up (dead or too late): the exit or timeout branch of the race reports it.
  return new Promise<void>(() => {});
}
