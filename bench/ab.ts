/**
 * `npm run bench:ab -- --base=<rev> [--variant=<rev>|working] [options]`: Interlink against
 * Interlink. Two production builds (or one build with different environment) run side by side
 * over one sandbox, pinned to the same core, and take turns under the same load in paired
 * windows (A B, then B A, …), so drift on a shared machine lands on both sides of every pair.
 * Each window's cost is the server's CPU time per logical request; a pair's ratio is B over A,
 * and the figure reported is the median of the pairs' ratios (with their range).
 *
 * This is how a lever is measured: `--base` the commit before it, `--variant` the commit with
 * it; or one build and a setting switched by `--variant-env=NAME=value`.
 */
import { parseArgs } from 'node:util';
import { oneTargetEnvironment, startInterlinkProcess } from './lib/interlink-process.js';
import type { BenchEnvironment } from './lib/bench-environment.js';
import { fetchTokens } from './lib/fetch-tokens.js';
import { prepareInterlink } from './lib/interlink-env.js';
import { runPlanLoad } from './lib/load.js';
import { probe, type Probe } from './lib/measure.js';
import { detectPinning } from './lib/pinning.js';
import { cpuSeconds, watchMemory } from './lib/proc-stats.js';
import { waitQuiet } from './lib/quiesce.js';
import { buildRevision, type RevisionBuild } from './lib/revision-build.js';
import { startSandboxProcess, type SandboxSize } from './lib/sandbox-process.js';
import { median } from './lib/summarize.js';
import { workload, WORKLOAD_IDS, type WorkloadId } from './workloads/index.js';

const USAGE = `npm run bench:ab -- --base=<rev> [options]

  --base=<rev>            A: a git revision (built into a temporary folder), or working
  --variant=working       B: a git revision, or working (this checkout's build; the default)
  --base-env=K=V,...      environment added to A (a setting a lever is switched by)
  --variant-env=K=V,...   environment added to B
  --base-node-flags=...   node flags for A, space-separated (V8 flags NODE_OPTIONS refuses,
  --variant-node-flags=   e.g. --heap-growing-percent=100)
  --workloads=W1,W3       default W1,W3
  --connections=16        default 16
  --pairs=5               paired windows per workload (default 5)
  --window=6              seconds per window (default 6), after --warmup=3 s per side
  --size=large            sandbox seed preset
  --no-pin                do not pin with taskset`;

interface Side {
  name: 'A' | 'B';
  build: RevisionBuild;
  extraEnv: Record<string, string>;
  nodeFlags: string[];
  env: BenchEnvironment;
}

interface Window {
  cpuMsPerRequest: number;
  requestsPerSecond: number;
  peakRssMB: number;
  errors: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      variant: { type: 'string', default: 'working' },
      'base-env': { type: 'string', default: '' },
      'variant-env': { type: 'string', default: '' },
      'base-node-flags': { type: 'string', default: '' },
      'variant-node-flags': { type: 'string', default: '' },
      workloads: { type: 'string', default: 'W1,W3' },
      connections: { type: 'string', default: '16' },
      pairs: { type: 'string', default: '5' },
      window: { type: 'string', default: '6' },
      warmup: { type: 'string', default: '3' },
      size: { type: 'string', default: 'large' },
      'no-pin': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.base === undefined) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const workloads = values.workloads.split(',').map((w) => w.trim().toUpperCase()) as WorkloadId[];
  const unknown = workloads.filter((w) => !WORKLOAD_IDS.includes(w));
  if (unknown.length > 0) throw new Error(`unknown workload ${unknown.join(', ')}`);
  const connections = Number(values.connections);
  const pairs = Number(values.pairs);
  const windowS = Number(values.window);
  const warmupS = Number(values.warmup);
  const cwd = process.cwd();
  const log = (line: string) => console.error(`[ab] ${line}`);
  const pinning = values['no-pin'] ? { ...detectPinning(), enabled: false, note: 'not pinned (--no-pin)' } : detectPinning();

  const builds = [buildRevision(values.base, cwd, log), buildRevision(values.variant, cwd, log)] as const;
  const sandbox = await startSandboxProcess({ size: values.size as SandboxSize, pinning, cwd });
  const stops: (() => Promise<void>)[] = [() => sandbox.stop()];
  try {
    const tokens = await fetchTokens(sandbox.line);
    const interlink = await prepareInterlink(sandbox.line);
    stops.push(() => interlink.cleanup());
    const sides: Side[] = [];
    for (const [index, build] of builds.entries()) {
      const name = index === 0 ? 'A' : 'B';
      const extraEnv = envList(index === 0 ? values['base-env'] : values['variant-env']);
      const nodeFlags = (index === 0 ? values['base-node-flags'] : values['variant-node-flags']).split(' ').filter((flag) => flag !== '');
      const target = await startInterlinkProcess({ label: `interlink ${name}`, root: build.root, env: { ...interlink.env, ...extraEnv }, pinning, nodeFlags });
      stops.push(() => target.process.stop());
      sides.push({ name, build, extraEnv, nodeFlags, env: oneTargetEnvironment(target, { pinning, sandbox, tokens, apiKey: interlink.apiKey }) });
      log(`${name}: ${build.label}${build.commit === 'working' ? '' : ` (${build.commit.slice(0, 12)})`}${Object.keys(extraEnv).length ? ` with ${values[index === 0 ? 'base-env' : 'variant-env']}` : ''}, pid ${target.pid}`);
    }

    const lines = [
      `A/B: A = ${describe(sides[0]!)}, B = ${describe(sides[1]!)}; ${connections} connections, ${pairs} pairs of ${windowS} s windows; ${pinning.note}`,
      '',
      '| workload | A CPU ms/req | B CPU ms/req | B/A (median of pairs) | pairs' + "'" + ' B/A range | A req/s | B req/s | A peak RSS MB | B peak RSS MB | errors |',
      '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const id of workloads) {
      const probes = new Map<Side, Probe>();
      for (const side of sides) {
        probes.set(side, await probe(side.env, 'interlink', workload(id), 1));
        await loadWindow(side, probes.get(side)!, connections, warmupS);
      }
      const windows = new Map<Side, Window[]>(sides.map((side) => [side, []]));
      const ratios: number[] = [];
      for (let pair = 0; pair < pairs; pair++) {
        const order = pair % 2 === 0 ? sides : [...sides].reverse();
        for (const side of order) windows.get(side)!.push(await loadWindow(side, probes.get(side)!, connections, windowS));
        const [a, b] = sides.map((side) => windows.get(side)!.at(-1)!.cpuMsPerRequest);
        ratios.push(b! / a!);
        log(`${id} pair ${pair + 1}: A ${a!.toFixed(2)} ms/req, B ${b!.toFixed(2)} ms/req, B/A ${(b! / a!).toFixed(2)}`);
      }
      const [wa, wb] = sides.map((side) => windows.get(side)!);
      const med = (ws: Window[], key: keyof Window) => median(ws.map((w) => w[key]));
      lines.push(
        `| ${id} | ${med(wa!, 'cpuMsPerRequest').toFixed(2)} | ${med(wb!, 'cpuMsPerRequest').toFixed(2)} | ${median(ratios).toFixed(2)}× | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} | ${med(wa!, 'requestsPerSecond').toFixed(0)} | ${med(wb!, 'requestsPerSecond').toFixed(0)} | ${Math.max(...wa!.map((w) => w.peakRssMB)).toFixed(0)} | ${Math.max(...wb!.map((w) => w.peakRssMB)).toFixed(0)} | ${[...wa!, ...wb!].reduce((n, w) => n + w.errors, 0)} |`,
      );
    }
    console.log(lines.join('\n'));
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

/** One window of load on one side, after both sides went quiet: CPU per logical request answered. */
async function loadWindow(side: Side, probed: Probe, connections: number, durationS: number): Promise<Window> {
  await waitQuiet(side.env);
  const target = side.env.targets.get('interlink')!;
  const memory = watchMemory(target.pid);
  const cpuBefore = cpuSeconds(target.pid);
  const load = await runPlanLoad({ baseUrl: target.url, plan: probed.plan, steps: probed.steps, connections, durationS, graphqlErrors: true, pinning: side.env.pinning });
  const cpuMs = (cpuSeconds(target.pid) - cpuBefore) * 1000;
  const rss = memory.stop();
  target.process.assertAlive();
  const requests = load.responses / probed.steps.length;
  return {
    cpuMsPerRequest: requests > 0 ? cpuMs / requests : Number.NaN,
    requestsPerSecond: requests / load.durationS,
    peakRssMB: rss.peakRssBytes / 2 ** 20,
    errors: load.non2xx + load.graphqlErrors + load.socketErrors,
  };
}

function envList(text: string): Record<string, string> {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      if (at <= 0) throw new Error(`expected NAME=value, got ${part}`);
      return [part.slice(0, at), part.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

function describe(side: Side): string {
  const env = [...side.nodeFlags, ...Object.entries(side.extraEnv).map(([k, v]) => `${k}=${v}`)].join(' ');
  const idle = side.env.targets.get('interlink')!.idleRssMB;
  return `${side.build.label}${side.build.commit === 'working' ? '' : ` ${side.build.commit.slice(0, 7)}`}${env ? ` (${env})` : ''}, idle RSS ${idle.toFixed(0)} MB`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
