/**
 * What the results were measured on: cores, CPU model, memory, Node, the load tool and the commit
 * (with a dirty flag: uncommitted changes mean the SHA alone does not name the code measured).
 */
import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import type { Pinning } from './pinning.js';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGB: number;
  os: string;
  node: string;
  loadTool: string;
  pinning: string;
  commit: string;
  dirty: boolean | 'unknown';
}

export function describeMachine(loadTool: 'wrk' | 'autocannon', pinning: Pinning, cwd: string): Machine {
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    loadTool: loadTool === 'wrk' ? wrkVersion() : `autocannon ${autocannonVersion()}`,
    pinning: pinning.note,
    ...commit(cwd),
  };
}

function wrkVersion(): string {
  // `wrk -v` prints "wrk 4.1.0 [epoll] Copyright …" and exits 1.
  const out = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return /wrk \S+ \[\w+\]/.exec(`${out.stdout}${out.stderr}`)?.[0] ?? 'wrk';
}

function autocannonVersion(): string {
  try {
    return (JSON.parse(spawnSync(process.execPath, ['-p', 'JSON.stringify(require("autocannon/package.json"))'], { encoding: 'utf8' }).stdout) as { version: string }).version;
  } catch {
    return '';
  }
}

function commit(cwd: string): { commit: string; dirty: boolean | 'unknown' } {
  const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  // --no-optional-locks: only look; never refresh the index under a concurrent git command.
  const status = spawnSync('git', ['--no-optional-locks', 'status', '--porcelain'], { cwd, encoding: 'utf8' });
  return {
    commit: sha.status === 0 ? sha.stdout.trim() : 'unknown',
    dirty: status.status === 0 ? status.stdout.trim().length > 0 : 'unknown',
  };
}
