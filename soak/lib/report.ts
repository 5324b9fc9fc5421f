/**
 * The soak's results: a JSON file with every figure, and a short Markdown table (requests,
 * errors by code, latency per phase, faults fired, the checks), as bench/RESULTS.md is for the
 * bench.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ms, percentile, type Check, type PhaseWindow } from './checks.js';
import type { SoakOptions } from './soak-options.js';
import type { RequestRecord } from './traffic.js';

export interface PhaseSummary {
  phase: string;
  seconds: number;
  requests: number;
  errors: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  faultsFired: number;
  /** p99 of each operation in this phase (ms), to see which traffic makes the tail. */
  p99ByOperation: Record<string, number>;
}

export function summarizePhases(records: readonly RequestRecord[], windows: readonly PhaseWindow[], faultsFired: readonly number[]): PhaseSummary[] {
  return windows.map((window, i) => {
    const mine = records.filter((r) => r.phase === window.phase.name);
    const latencies = mine.map((r) => r.latencyMs);
    const errors: Record<string, number> = {};
    for (const code of mine.flatMap((r) => r.codes)) errors[code] = (errors[code] ?? 0) + 1;
    return {
      phase: window.phase.name,
      seconds: Math.round((window.endMs - window.startMs) / 1000),
      requests: mine.length,
      errors,
      p50Ms: Math.round(percentile(latencies, 0.5)),
      p99Ms: Math.round(percentile(latencies, 0.99)),
      maxMs: Math.round(Math.max(0, ...latencies)),
      faultsFired: faultsFired[i] ?? 0,
      p99ByOperation: Object.fromEntries(
        [...new Set(mine.map((r) => r.operation))].sort().map((operation) => [operation, Math.round(percentile(mine.filter((r) => r.operation === operation).map((r) => r.latencyMs), 0.99))]),
      ),
    };
  });
}

export function markdownReport(options: SoakOptions, phases: readonly PhaseSummary[], checks: readonly Check[], started: Date): string {
  const lines = [
    `# Soak results (${started.toISOString().slice(0, 10)})`,
    '',
    `${options.quick ? 'Quick run' : 'Run'}: ${options.clients} clients over ${options.tenants} tenants, ${options.durationS} s; fault phases: ${options.serverErrorRate * 100}% 5xx, ${options.timeoutRate * 100}% timeouts (half applied-then-hung writes), ${options.rateLimitedRate * 100}% 429; each vendor refuses connections for ${options.refusalS} s; one sandbox restart.`,
    '',
    '| phase | s | requests | errors by code | p50 | p99 | max | faults fired |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ...phases.map((p) => `| ${p.phase} | ${p.seconds} | ${p.requests} | ${Object.entries(p.errors).map(([code, n]) => `${code} ${n}`).join(', ') || '–'} | ${ms(p.p50Ms)} | ${ms(p.p99Ms)} | ${ms(p.maxMs)} | ${p.faultsFired} |`),
    '',
    'p99 by operation (a multi-step operation counts each GraphQL call):',
    '',
    `| operation | ${phases.map((p) => p.phase).join(' | ')} |`,
    `| --- | ${phases.map(() => '---:').join(' | ')} |`,
    ...[...new Set(phases.flatMap((p) => Object.keys(p.p99ByOperation)))].sort().map((operation) => `| ${operation} | ${phases.map((p) => (p.p99ByOperation[operation] === undefined ? '–' : ms(p.p99ByOperation[operation]!))).join(' | ')} |`),
    '',
    '| check | result | measured |',
    '| --- | --- | --- |',
    ...checks.map((c) => `| ${c.name} | ${c.passed ? 'pass' : c.timing && options.timing === 'report' ? 'over target (reported, not gating)' : '**FAIL**'} | ${c.detail} |`),
    '',
  ];
  return lines.join('\n');
}

export async function writeResults(outDir: string, json: unknown, markdown: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(outDir, 'RESULTS.md'), markdown);
}
