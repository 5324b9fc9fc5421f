/**
 * How the harness starts each target: one process per target, spawned directly (never through
 * npx or npm) so the pid the harness pins and measures is the server itself. Node targets are
 * `node <nodeArgs>`; a native one (Tailcall) prepares its command and config first.
 */
import type { BenchTokens } from '../lib/fetch-tokens.js';
import type { SandboxInfo, TargetName, WorkloadId } from '../workloads/index.js';
import { WORKLOAD_IDS } from '../workloads/index.js';
import { prepareTailcall } from './tailcall/tailcall-config.js';

export type { TargetName } from '../workloads/index.js';

/** All five, in the order runs are interleaved (a, b, c, d, e). */
export const TARGET_NAMES: readonly TargetName[] = ['direct', 'interlink', 'naive', 'mesh', 'tailcall'];

export type TargetLetter = 'a' | 'b' | 'c' | 'd' | 'e';

/** Each target's letter, used in ratios ("b/a"). */
export const TARGET_LETTERS: Record<TargetName, TargetLetter> = { direct: 'a', interlink: 'b', naive: 'c', mesh: 'd', tailcall: 'e' };

/**
 * `stdout`: the process prints `{"url":"http://127.0.0.1:<port>"}` when listening (the target
 * contract). `poll`: it prints nothing useful, and is ready when GET `<path>` answers 200.
 */
export type Readiness = 'stdout' | { poll: string };

interface DescriptorBase {
  name: TargetName;
  title: string;
  /** Extra environment on top of BENCH_SANDBOX, BENCH_TOKENS and PORT (Interlink: see interlink-env.ts). */
  env?: Record<string, string>;
  ready: Readiness;
  /** The workloads this target can express; the harness skips the others and says so in the report. */
  workloads: readonly WorkloadId[];
  /** Where the reasons for a skipped workload are written down. */
  notExpressedSee?: string;
}

export interface NodeTargetDescriptor extends DescriptorBase {
  kind: 'node';
  /** Arguments after `node`, relative to the repository root. */
  nodeArgs: string[];
}

/** What a native target needs to write its config before it starts. */
export interface LaunchInputs {
  sandbox: SandboxInfo;
  tokens: BenchTokens;
  port: number;
  /** Repository root. */
  cwd: string;
}

export interface PreparedCommand {
  /** An executable, spawned as itself (pinned through taskset, which execs it: same pid). */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** One line for the report: version, and anything unusual about how it ran. */
  note: string;
  /** Removes what `prepare` wrote. */
  cleanup(): Promise<void>;
}

export interface CommandTargetDescriptor extends DescriptorBase {
  kind: 'command';
  prepare(inputs: LaunchInputs): Promise<PreparedCommand>;
}

export type TargetDescriptor = NodeTargetDescriptor | CommandTargetDescriptor;

export interface TargetOptions {
  /** Interlink from `src/` through tsx instead of the `dist/` build (smoke test: no build inside `npm test`). */
  interlinkFromSource?: boolean;
  /**
   * In-flight sharing, default on: Tailcall's dedupe (bench/targets/tailcall/tailcall-config.ts),
   * Interlink's query coalescing and shared vendor reads.
   */
  dedupe?: boolean;
}

export function targetDescriptor(name: Exclude<TargetName, 'tailcall'>, options?: TargetOptions): NodeTargetDescriptor;
export function targetDescriptor(name: TargetName, options?: TargetOptions): TargetDescriptor;
export function targetDescriptor(name: TargetName, options: TargetOptions = {}): TargetDescriptor {
  const node = (title: string, nodeArgs: string[], ready: Readiness, env?: Record<string, string>): NodeTargetDescriptor => ({
    name,
    title,
    kind: 'node',
    nodeArgs,
    ready,
    workloads: WORKLOAD_IDS,
    ...(env ? { env } : {}),
  });
  // Off: Interlink does each request's own upstream work, like the targets without sharing.
  const sharing: Record<string, string> = options.dedupe === false ? { INTERLINK_COALESCE_QUERIES: 'off', INTERLINK_SHARE_VENDOR_READS: 'off' } : {};
  switch (name) {
    case 'direct':
      return node('(a) direct REST', ['--import', 'tsx', 'bench/targets/direct-rest.ts'], 'stdout');
    case 'interlink':
      return options.interlinkFromSource
        ? node('(b) Interlink (tsx, from source)', ['--import', 'tsx', 'src/index.ts'], { poll: '/readyz' }, sharing)
        : node(`(b) Interlink, production build${options.dedupe === false ? ', in-flight sharing off' : ''}`, ['dist/src/index.js'], { poll: '/readyz' }, { NODE_ENV: 'production', ...sharing });
    case 'naive':
      return node('(c) naive Apollo Server', ['--import', 'tsx', 'bench/targets/naive-apollo.ts'], 'stdout');
    case 'mesh':
      return node('(d) GraphQL Mesh / Hive Gateway', ['--import', 'tsx', 'bench/targets/mesh/main.ts'], 'stdout');
    case 'tailcall':
      return {
        name,
        title: options.dedupe === false ? '(e) Tailcall, in-flight dedupe off' : '(e) Tailcall',
        kind: 'command',
        prepare: (inputs) => prepareTailcall(inputs, { dedupe: options.dedupe ?? true }),
        ready: { poll: '/status' },
        workloads: ['W1', 'W3'],
        notExpressedSee: 'bench/targets/tailcall/README.md',
      };
  }
}

/** Whether `target` expresses `workload` (Tailcall: W1 and W3 only). */
export function expresses(target: TargetName, workload: WorkloadId): boolean {
  return targetDescriptor(target).workloads.includes(workload);
}
