/**
 * How the harness starts each target: one `node` process per target, spawned directly (never
 * through npx or npm) so the pid the harness pins and measures is the server itself.
 */
import type { TargetName } from '../workloads/index.js';

export type { TargetName } from '../workloads/index.js';

/** All four, in the order runs are interleaved (a, b, c, d). */
export const TARGET_NAMES: readonly TargetName[] = ['direct', 'interlink', 'naive', 'mesh'];

/** Each target's letter, used in ratios ("b/a"). */
export const TARGET_LETTERS: Record<TargetName, 'a' | 'b' | 'c' | 'd'> = { direct: 'a', interlink: 'b', naive: 'c', mesh: 'd' };

/**
 * `stdout`: the process prints `{"url":"http://127.0.0.1:<port>"}` when listening (the target
 * contract). `poll`: it prints nothing useful, and is ready when GET `<path>` answers 200.
 */
export type Readiness = 'stdout' | { poll: string };

export interface TargetDescriptor {
  name: TargetName;
  title: string;
  /** Arguments after `node`, relative to the repository root. */
  nodeArgs: string[];
  /** Extra environment on top of BENCH_SANDBOX, BENCH_TOKENS and PORT (Interlink: see interlink-env.ts). */
  env?: Record<string, string>;
  ready: Readiness;
}

export interface TargetOptions {
  /** Interlink from `src/` through tsx instead of the `dist/` build (smoke test: no build inside `npm test`). */
  interlinkFromSource?: boolean;
}

export function targetDescriptor(name: TargetName, options: TargetOptions = {}): TargetDescriptor {
  switch (name) {
    case 'direct':
      return { name, title: '(a) direct REST', nodeArgs: ['--import', 'tsx', 'bench/targets/direct-rest.ts'], ready: 'stdout' };
    case 'interlink':
      return options.interlinkFromSource
        ? { name, title: '(b) Interlink (tsx, from source)', nodeArgs: ['--import', 'tsx', 'src/index.ts'], ready: { poll: '/readyz' } }
        : {
            name,
            title: '(b) Interlink, production build',
            nodeArgs: ['dist/src/index.js'],
            env: { NODE_ENV: 'production' },
            ready: { poll: '/readyz' },
          };
    case 'naive':
      return { name, title: '(c) naive Apollo Server', nodeArgs: ['--import', 'tsx', 'bench/targets/naive-apollo.ts'], ready: 'stdout' };
    case 'mesh':
      return { name, title: '(d) GraphQL Mesh / Hive Gateway', nodeArgs: ['--import', 'tsx', 'bench/targets/mesh/main.ts'], ready: 'stdout' };
  }
}
