/**
 * `npm run soak`: Interlink's production build under load, faults and outages, judged from the
 * vendors' own records. Starts the sandbox (vendor limits on) and the gateway, runs the clients
 * through the phases (soak/lib/phases.ts), then reconciles and checks; exits 1 naming every
 * failed check. See `--help`.
 */
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBuild } from '../bench/lib/ensure-build.js';
import { startSandbox } from '../sandbox/index.js';
import { correctnessChecks, floodChecks, gatingFailures, latencyChecks, readinessChecks, resourceChecks, type Check, type PhaseWindow, type ReadinessSample, type ResourceSample } from './lib/checks.js';
import { applyFaults, soakPhases } from './lib/phases.js';
import { floodAndProbe, type FloodResult } from './lib/flood.js';
import { markdownReport, summarizePhases, writeResults } from './lib/report.js';
import { startSoakGateway } from './lib/soak-gateway.js';
import { parseSoakOptions, SoakUsage } from './lib/soak-options.js';
import { tenantWorlds } from './lib/soak-world.js';
import { runTraffic } from './lib/traffic.js';
import { vendorRecords } from './lib/vendor-records.js';

const cwd = new URL('..', import.meta.url).pathname;
/** Heavy reads the flooding key keeps in flight: more than the gateway's 64 execution slots. */
const FLOOD_CONCURRENCY = 96;
const say = (line: string) => process.stderr.write(`[soak] ${line}\n`);

async function main(): Promise<number> {
  let options;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof SoakUsage) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const phases = soakPhases(options);
  ensureBuild(cwd, say);
  const started = new Date();
  const sandbox = await startSandbox({ limits: 'vendor' });
  const gateway = await startSoakGateway(sandbox, options.tenants, cwd);
  const vendors = vendorRecords(sandbox);
  try {
    say(`gateway pid ${gateway.process.pid} at ${gateway.url}; ${options.clients} clients, ${phases.length} phases, ${options.durationS} s`);
    const worlds = tenantWorlds(sandbox, options.tenants, gateway.keyOf);
    // Warm up (tokens, catalogs, keep-alive pools) before the resource baseline.
    for (const world of worlds) await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${world.apiKey}` }, body: JSON.stringify({ query: '{ entities { totalCount } integrationSystems { name } mappingConfiguration { m3terEntities } }' }) });
    // The resource baseline is the gateway at work without faults (sampled at the end of the
    // baseline phase): what faults and outages must not add to. Idle at start, V8 has not yet
    // grown the heap the load itself needs.
    let before = resources(gateway.process.pid);

    const t0 = performance.now();
    const now = () => performance.now() - t0;
    let current = phases[0]!.name;
    let stopped = false;
    const readiness: ReadinessSample[] = [];
    const probing = (async () => {
      while (!stopped) {
        const atMs = now();
        const sample = await fetch(`${gateway.url}/readyz`, { signal: AbortSignal.timeout(4_000) }).then(
          async (response): Promise<ReadinessSample> => ({ atMs, status: response.status, failing: failingIn(await response.json().catch(() => undefined)) }),
          (): ReadinessSample => ({ atMs, status: 0 }),
        );
        readiness.push(sample);
        await sleep(500);
      }
    })();
    const traffic = runTraffic({ url: gateway.url, worlds, clients: options.clients, paceMs: options.paceMs, phase: () => current, stopped: () => stopped });

    const windows: PhaseWindow[] = [];
    const faultsFired: number[] = [];
    const drills: Promise<void>[] = [];
    const floods: Promise<FloodResult>[] = [];
    for (const phase of phases) {
      current = phase.name;
      applyFaults(sandbox, phase);
      const mark = sandbox.ledger.mark;
      const startMs = now();
      say(`${phase.name}: ${phase.durationS} s`);
      if (phase.drill) drills.push(phase.drill(sandbox, gateway));
      if (phase.flood) {
        const probeKey = gateway.keyOf(Math.min(1, options.tenants - 1));
        floods.push(floodAndProbe({ url: gateway.url, floodKey: gateway.floodKey, probeKey, durationMs: phase.durationS * 1000, concurrency: FLOOD_CONCURRENCY, probeEveryMs: 100 }));
      }
      await sleep(phase.durationS * 1000);
      windows.push({ phase, startMs, endMs: now() });
      if (phase.name === 'baseline') before = resources(gateway.process.pid);
      faultsFired.push(sandbox.ledger.list({ sinceSeq: mark }).filter((entry) => entry.fault !== undefined).length);
    }
    stopped = true;
    sandbox.clearFaults();
    const log = await traffic;
    await Promise.all([...drills, probing]);
    // Let keep-alive sockets idle out and the heap settle: V8 gives memory back only after a
    // while idle, so the lowest of several samples is what the load left behind.
    const samples: ResourceSample[] = [];
    for (let i = 0; i < (options.quick ? 3 : 8); i += 1) {
      await sleep(5_000);
      samples.push(resources(gateway.process.pid));
    }
    let alive = true;
    try {
      gateway.process.assertAlive();
    } catch {
      alive = false;
    }
    const after = { rssMb: Math.min(...samples.map((s) => s.rssMb)), sockets: Math.min(...samples.map((s) => s.sockets)) };

    say(`${log.records.length} requests; reconciling ${log.links.length} links and ${log.connections.length} connections with the vendors`);
    const checks: Check[] = [
      ...(await correctnessChecks(log, vendors)),
      ...latencyChecks(log.records, windows),
      ...readinessChecks(readiness, windows, options.refusalS * 1000),
      ...resourceChecks(before, after, alive, gateway.restarts),
      ...floodChecks(await Promise.all(floods)),
    ];
    const summary = summarizePhases(log.records, windows, faultsFired);
    const markdown = markdownReport(options, summary, checks, started);
    await writeResults(options.outDir, { options, started: started.toISOString(), phases: summary, checks, resources: { before, after }, readiness }, markdown);
    process.stdout.write(markdown);
    for (const check of checks.filter((c) => !c.passed && c.timing && options.timing === 'report')) say(`over target (reported): ${check.name}: ${check.detail}`);
    const failed = gatingFailures(checks, options.timing);
    for (const check of failed) say(`FAILED: ${check.name}: ${check.detail}`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    vendors.close();
    await gateway.stop();
    await sandbox.close();
  }
}

/** The gateway's resident memory and open sockets, from /proc. */
function resources(pid: number): ResourceSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets += 1;
    } catch {
      // closed while we looked
    }
  }
  return { rssMb: rssKb / 1024, sockets };
}

process.exitCode = await main();

/** The vendors a `/readyz` answer names failing (`{ failing: [...] }` on a 503). */
function failingIn(body: unknown): string[] {
  const failing = (body as { failing?: unknown } | undefined)?.failing;
  return Array.isArray(failing) ? failing.filter((name): name is string => typeof name === 'string') : [];
}
