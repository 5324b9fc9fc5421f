/**
 * `npm run bench:profile -- --workload=W3`: where Interlink's CPU goes under one workload. Runs
 * the production build (or any revision, as `bench:ab` builds it) under `node --cpu-prof` over the
 * sandbox, loads it for `--duration` seconds, stops it, and prints self time by owner (npm
 * package or Interlink folder) and the top functions. The profile also holds start-up and the
 * probe's few requests; the load's share is printed beside it so the table can be read rightly.
 * The `.cpuprofile` stays in test-artifacts/profiles/ for Chrome DevTools or speedscope.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { oneTargetEnvironment, startInterlinkProcess } from './lib/interlink-process.js';
import { summarizeProfile } from './lib/cpu-profile-summary.js';
import { fetchTokens } from './lib/fetch-tokens.js';
import { prepareInterlink } from './lib/interlink-env.js';
import { runPlanLoad } from './lib/load.js';
import { probe } from './lib/measure.js';
import { detectPinning } from './lib/pinning.js';
import { cpuSeconds } from './lib/proc-stats.js';
import { buildRevision } from './lib/revision-build.js';
import { startSandboxProcess, type SandboxSize } from './lib/sandbox-process.js';
import { workload, WORKLOAD_IDS, type WorkloadId } from './workloads/index.js';

const USAGE = `npm run bench:profile -- [options]

  --workload=W1           which workload (default W1)
  --connections=16        default 16
  --duration=10           seconds of load (default 10)
  --revision=working      a git revision, or working (this checkout's build; the default)
  --env=K=V,...           environment added to Interlink (a setting to profile with)
  --top=25                functions listed (default 25)
  --size=large            sandbox seed preset`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string', default: 'W1' },
      connections: { type: 'string', default: '16' },
      duration: { type: 'string', default: '10' },
      revision: { type: 'string', default: 'working' },
      env: { type: 'string', default: '' },
      top: { type: 'string', default: '25' },
      size: { type: 'string', default: 'large' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const id = values.workload.toUpperCase() as WorkloadId;
  if (!WORKLOAD_IDS.includes(id)) throw new Error(`unknown workload ${values.workload}`);
  const cwd = process.cwd();
  const log = (line: string) => console.error(`[profile] ${line}`);
  const pinning = detectPinning();
  const build = buildRevision(values.revision, cwd, log);
  const dir = resolve(cwd, 'test-artifacts', 'profiles', `${id}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const extraEnv = Object.fromEntries(
    values.env
      .split(',')
      .filter((part) => part.includes('='))
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]),
  );

  const sandbox = await startSandboxProcess({ size: values.size as SandboxSize, pinning, cwd });
  const interlink = await prepareInterlink(sandbox.line);
  let loadCpuMs = 0;
  let requests = 0;
  try {
    const tokens = await fetchTokens(sandbox.line);
    const target = await startInterlinkProcess({ label: 'interlink (profiled)', root: build.root, env: { ...interlink.env, ...extraEnv }, pinning, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    const child = target.process;
    try {
      const env = oneTargetEnvironment(target, { pinning, sandbox, tokens, apiKey: interlink.apiKey });
      const probed = await probe(env, 'interlink', workload(id), 1);
      const before = cpuSeconds(child.pid);
      log(`${id}: ${values.connections} connections for ${values.duration} s`);
      const load = await runPlanLoad({ baseUrl: target.url, plan: probed.plan, steps: probed.steps, connections: Number(values.connections), durationS: Number(values.duration), graphqlErrors: true, pinning });
      loadCpuMs = (cpuSeconds(child.pid) - before) * 1000;
      requests = load.responses / probed.steps.length;
    } finally {
      // SIGTERM: Interlink drains and exits, and node writes the profile on exit.
      await child.stop(15_000);
    }
  } finally {
    await sandbox.stop();
    await interlink.cleanup();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}: did Interlink exit cleanly?`);
  const summary = summarizeProfile(join(dir, file));
  const top = Number(values.top);
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  console.log(
    [
      `Profile of ${build.label} under ${id}, ${values.connections} connections, ${values.duration} s: ${requests.toFixed(0)} requests, ${(loadCpuMs / Math.max(requests, 1)).toFixed(2)} CPU ms per request.`,
      `The profile holds ${(summary.busyMs / 1000).toFixed(1)} s of busy CPU, ${percent(loadCpuMs / summary.busyMs)} of it during the load (the rest: start-up, probe, shutdown).`,
      `File: ${join(dir, file)}`,
      '',
      '| owner | self ms | share |',
      '| --- | ---: | ---: |',
      ...summary.owners.slice(0, 20).map((o) => `| ${o.name} | ${o.ms.toFixed(0)} | ${percent(o.share)} |`),
      '',
      '| function | owner | self ms | share |',
      '| --- | --- | ---: | ---: |',
      ...summary.functions.slice(0, top).map((f) => `| \`${f.name}\` | ${f.owner} | ${f.ms.toFixed(0)} | ${percent(f.share)} |`),
    ].join('\n'),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
