/**
 * CPU time and peak memory of a server process, read from /proc (Linux). CPU is utime + stime
 * over a run, as a share of one core. Peak RSS is the kernel's high-water mark (VmHWM), reset
 * before each run by writing "5" to clear_refs; where that is refused, the harness samples VmRSS
 * every 100 ms instead, which can miss short spikes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const CLOCK_TICKS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(out.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** User plus system CPU seconds the process has used so far, or NaN when /proc cannot tell. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime and stime are fields 14 and 15
  } catch {
    return NaN;
  }
}

/** The process's resident memory now, in MB (NaN where /proc cannot tell). */
export function rssMB(pid: number): number {
  return statusBytes(pid, 'VmRSS') / 2 ** 20;
}

/** A `VmXxx:` line of /proc/<pid>/status in bytes, or NaN. */
function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  } catch {
    return NaN;
  }
}

export interface MemoryWatch {
  /** Peak RSS in bytes since `watchMemory`, and how it was measured. */
  stop(): { peakRssBytes: number; method: 'VmHWM' | 'sampled VmRSS' };
}

/** Starts watching the peak RSS of `pid` from now. */
export function watchMemory(pid: number): MemoryWatch {
  let hwmReset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    hwmReset = true;
  } catch {
    // Not our process or an old kernel: fall back to sampling.
  }
  let sampled = statusBytes(pid, 'VmRSS');
  const timer = hwmReset
    ? undefined
    : setInterval(() => {
        const rss = statusBytes(pid, 'VmRSS');
        if (rss > sampled || (Number.isNaN(sampled) && !Number.isNaN(rss))) sampled = rss;
      }, 100);
  return {
    stop() {
      if (timer) clearInterval(timer);
      if (hwmReset) {
        const hwm = statusBytes(pid, 'VmHWM');
        if (Number.isFinite(hwm)) return { peakRssBytes: hwm, method: 'VmHWM' };
      }
      const last = statusBytes(pid, 'VmRSS');
      return { peakRssBytes: Number.isNaN(sampled) || last > sampled ? last : sampled, method: 'sampled VmRSS' };
    },
  };
}
