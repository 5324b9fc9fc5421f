/**
 * The bench's outputs: the printed table, `bench/results/<date>.json` with everything, and the
 * short markdown summary (`bench/RESULTS.md` for a full run; next to the JSON otherwise, so a
 * quick or partial run never replaces the committed summary of a full one).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { TargetName, WorkloadId } from '../workloads/index.js';
import { TARGET_LETTERS } from '../targets/index.js';
import type { Machine } from './machine.js';
import type { Probe, RunMeasurement } from './measure.js';
import type { Cell, Goal, Ratio } from './summarize.js';

export interface BenchReport {
  kind: 'full' | 'quick' | 'partial';
  /** Local date the run started, YYYY-MM-DD: names the files. */
  date: string;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  options: Record<string, unknown>;
  machine: Machine;
  notes: string[];
  probes: Omit<Probe, 'steps'>[];
  runs: RunMeasurement[];
  cells: Cell[];
  ratios: Ratio[];
  goals: Goal[];
  /** Resident memory of each target before any bench request, MB. */
  idleRssMB: Partial<Record<TargetName, number>>;
}

const num = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));
/** Requests per second: whole numbers, with decimals where a slow target answers a few a second. */
const rate = (n: number) => (!Number.isFinite(n) ? 'n/a' : n >= 10 ? Math.round(n).toLocaleString('en-US') : n >= 1 ? n.toFixed(1) : n.toFixed(2));

const TARGET_ORDER: TargetName[] = ['direct', 'interlink', 'naive', 'mesh', 'tailcall'];
const label = (target: TargetName) => `(${TARGET_LETTERS[target]}) ${target}`;

function sortedCells(cells: readonly Cell[]): Cell[] {
  return [...cells].sort(
    (x, y) =>
      x.latencyMs - y.latencyMs ||
      x.workload.localeCompare(y.workload) ||
      x.connections - y.connections ||
      TARGET_ORDER.indexOf(x.target) - TARGET_ORDER.indexOf(y.target),
  );
}

/** Rows of the main table, shared by the printed and the markdown form. */
function tableRows(cells: readonly Cell[]): string[][] {
  return sortedCells(cells).map((c) => [
    c.workload,
    `${c.latencyMs} ms`,
    String(c.connections),
    label(c.target),
    rate(c.requestsPerSecond),
    num(c.p50Ms, 2),
    num(c.p99Ms, 2),
    num(c.callsPerRequest, 2),
    num(c.callsPerRequestUnderLoad, 2),
    num(c.cpuPercent, 0),
    num(c.cpuMsPerRequest, 3),
    num(c.peakRssMB, 0),
    num(c.sandboxCpuPercent, 0),
    String(c.answers),
    c.flaggedRuns ? `${c.errors} ⚠ ${c.flaggedRuns}/${c.runs} runs flagged` : '0',
    c.requestsPerSecondByRun.map(rate).join(' '),
  ]);
}

const HEADER = ['workload', 'upstream', 'conns', 'target', 'req/s', 'p50 ms', 'p99 ms', 'calls/req', 'calls/req (load)', 'CPU %', 'CPU ms/req', 'peak RSS MB', 'sandbox CPU %', 'answers', 'errors', 'req/s by run'];

function ratioRows(ratios: readonly Ratio[]): string[][] {
  const keys = [...new Set(ratios.map((r) => JSON.stringify([r.latencyMs, r.workload, r.connections])))].map((k) => JSON.parse(k) as [number, WorkloadId, number]);
  keys.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]) || x[2] - y[2]);
  return keys.map(([latencyMs, workload, connections]) => {
    const of = (versus: Ratio['versus']) => ratios.find((r) => r.latencyMs === latencyMs && r.workload === workload && r.connections === connections && r.versus === versus);
    const pair = (versus: Ratio['versus']) => {
      const r = of(versus);
      const times = (n: number | undefined) => (n === undefined ? 'n/a' : `${num(n, 2)}×`);
      return r ? [times(r.throughput), times(r.p50), times(r.cpuPerRequest)] : ['–', '–', '–'];
    };
    return [workload, `${latencyMs} ms`, String(connections), ...VERSUS.flatMap(pair)];
  });
}

const VERSUS: Ratio['versus'][] = ['b/a', 'b/c', 'b/d', 'b/e'];
const RATIO_HEADER = ['workload', 'upstream', 'conns', ...VERSUS.flatMap((v) => [`${v} req/s`, `${v} p50`, `${v} CPU/req`])];

/** `labels`: how many leading columns are text (left-aligned); the rest are numbers. */
function plainTable(header: string[], rows: string[][], labels: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < labels ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][], labels: number): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < labels ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function printedReport(report: BenchReport): string {
  return [
    plainTable(HEADER, tableRows(report.cells), 4),
    '',
    'Interlink (b) against (a) direct REST, (c) naive Apollo, (d) Mesh, (e) Tailcall (req/s: higher is better for b; p50 and CPU/req: lower is):',
    plainTable(RATIO_HEADER, ratioRows(report.ratios), 3),
    '',
    ...report.goals.map((g) => `${g.status === 'met' ? 'MET   ' : g.status === 'missed' ? 'MISSED' : 'n/a   '} ${g.goal}: ${g.detail}`),
  ].join('\n');
}

export function markdownReport(report: BenchReport, jsonPath: string, mdPath: string): string {
  const m = report.machine;
  const minutes = (report.durationS / 60).toFixed(1);
  return `# Interlink bench results

${report.kind === 'full' ? 'Full run' : report.kind === 'quick' ? 'Quick run (`--quick`: a subset, for spot checks only)' : 'Partial run (a subset of the full matrix)'} of \`npm run bench\` on ${report.date}, ${minutes} min.
Everything measured, run by run: [${relative(dirname(mdPath), jsonPath)}](${relative(dirname(mdPath), jsonPath)}).

- Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGB} GB, ${m.os}; Node ${m.node}; load by ${m.loadTool}; ${m.pinning}.
- Commit ${m.commit}${m.dirty === true ? ' with uncommitted changes' : m.dirty === 'unknown' ? ' (clean or not: unknown)' : ''}.
${report.notes.map((n) => `- ${n}`).join('\n')}

## Medians per target × workload × connections × upstream latency

req/s is logical requests per second (W4: create + delete pairs); p50/p99 are per HTTP request
(W4: each step). calls/req counts vendor calls (token calls excluded) for requests sent one at a
time; "(load)" is the same over the measured runs (ledger delta / requests sent). CPU is the
server process's user + system time in % of one core; CPU ms/req is that time divided by the
logical requests answered (cost, where req/s is speed); peak RSS is the highest over the runs.
Sandbox CPU near 100 % means the sandbox, not the target, set the pace. "answers" counts HTTP
answers over all runs (few answers: rough percentiles). "req/s by run" lists every run in order,
so drift shows. A run is flagged (⚠) for any error, no answer at all, or a target still busy with
abandoned requests when it started.

${markdownTable(HEADER, tableRows(report.cells), 4)}

## Interlink (b) / the others

Throughput ratio > 1, and p50 and CPU-per-request ratios < 1, favour Interlink.

${markdownTable(RATIO_HEADER, ratioRows(report.ratios), 3)}

## The issue's targets

${report.goals.map((g) => `- **${g.status}**: ${g.goal} (${g.detail})`).join('\n')}
`;
}

export interface WrittenFiles {
  json: string;
  markdown: string;
}

/** Writes the JSON and the markdown summary; returns their paths. */
export async function writeReport(report: BenchReport, root: string, resultsDir = join(root, 'bench', 'results')): Promise<WrittenFiles> {
  const suffix = report.kind === 'full' ? '' : `-${report.kind}`;
  const json = join(resultsDir, `${report.date}${suffix}.json`);
  const markdown = report.kind === 'full' ? join(root, 'bench', 'RESULTS.md') : join(resultsDir, `${report.date}${suffix}.md`);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(json, JSON.stringify(report, null, 2) + '\n');
  await writeFile(markdown, markdownReport(report, json, markdown));
  return { json, markdown };
}
