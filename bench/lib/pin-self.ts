import { spawnSync } from 'node:child_process';
import type { Pinning } from './pinning.js';

/**
 * Pins this process (every thread: `-a`) to the load core. Used when autocannon generates the
 * load from inside the harness, so the load stays off the server's core.
 */
export function pinSelf(pinning: Pinning): boolean {
  if (!pinning.enabled) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(pinning.loadCore), String(process.pid)]).status === 0;
}
