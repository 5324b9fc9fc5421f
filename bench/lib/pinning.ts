/**
 * CPU pinning with `taskset`: the server under test on one core, the sandbox and the load
 * generator on the other, so they do not steal each other's time slices. On a machine with one
 * core or without taskset everything runs unpinned, and the results say so.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface Pinning {
  enabled: boolean;
  /** Core for the sandbox and the load generator. */
  loadCore: number;
  /** Core for the target under test. */
  serverCore: number;
  /** Why pinning is off, when it is. */
  note: string;
}

export function detectPinning(): Pinning {
  const cores = cpus().length;
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  if (!hasTaskset) return { enabled: false, loadCore: 0, serverCore: 0, note: 'taskset not found: nothing pinned' };
  if (cores < 2) return { enabled: false, loadCore: 0, serverCore: 0, note: 'one core: nothing pinned' };
  return { enabled: true, loadCore: 0, serverCore: 1, note: `targets on core 1; sandbox and load generator on core 0 (${cores} cores)` };
}

/** The command and arguments to run `command args` on `core` (unchanged when pinning is off). */
export function pinned(pinning: Pinning, core: number, command: string, args: string[]): [string, string[]] {
  return pinning.enabled ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}
