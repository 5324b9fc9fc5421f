/**
 * `npm run bench:replicas`: Interlink as one process, then as several replicas on one Redis, over
 * one sandbox that enforces the vendors' own limits (m3ter 50 requests a second per org, Zuora's
 * concurrency per entity, Rev.io's per-minute budget). The load is spread evenly over the
 * replicas, as a round-robin load balancer would. Each row gives the throughput, the vendor calls
 * that reached the sandbox (the most in any one second, per vendor and tenant), and the sandbox's
 * 429 answers: replicas sharing their budgets through Redis must spend no more than one process,
 * so the 429 count is 0 however many replicas there are.
 *
 * Interlink runs with its vendors' default client-side limits (not opened up as in `npm run bench`)
 * and, with replicas, `INTERLINK_REDIS_URL`, `INTERLINK_REPLICAS` and a token key. Redis is
 * Debian's `redis-server` on a free port. On a 2-core machine the replicas share the cores with the
 * sandbox and the load generator, so throughput cannot scale with replicas here: the row shows that
 * the limits hold, and what a replica costs.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { oneTargetEnvironment, startInterlinkProcess } from './lib/interlink-process.js';
import type { BenchEnvironment, RunningTarget } from './lib/bench-environment.js';
import { ensureBuild } from './lib/ensure-build.js';
import { fetchTokens } from './lib/fetch-tokens.js';
import { prepareInterlink } from './lib/interlink-env.js';
import { runPlanLoad } from './lib/load.js';
import { probe, type Probe } from './lib/measure.js';
import { detectPinning } from './lib/pinning.js';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-process.js';
import { workload, WORKLOAD_IDS, type WorkloadId } from './workloads/index.js';
import { startRedis } from '../test/helpers/redis-server.js';

interface LedgerEntry {
  vendor: string;
  tenant: string | undefined;
  status: number;
  time: string;
  path: string;
}

interface Row {
  workload: WorkloadId;
  replicas: number;
  requestsPerSecond: number;
  errors: number;
  callsPerSecond: number;
  /** Per vendor: the most calls in any one second for one tenant. */
  peakPerSecond: Record<string, number>;
  tooMany: number;
  tokenCalls: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      replicas: { type: 'string', default: '3' },
      workloads: { type: 'string', default: 'W2,W3' },
      connections: { type: 'string', default: '24' },
      duration: { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run bench:replicas -- [--replicas=3] [--workloads=W2,W3] [--connections=24] [--duration=10]');
    return 0;
  }
  const replicas = Number(values.replicas);
  const connections = Number(values.connections);
  const durationS = Number(values.duration);
  const workloads = values.workloads.split(',').map((w) => w.trim().toUpperCase()) as WorkloadId[];
  if (workloads.some((w) => !WORKLOAD_IDS.includes(w))) throw new Error(`unknown workload in ${values.workloads}`);
  const cwd = process.cwd();
  const log = (line: string) => console.error(`[replicas] ${line}`);
  // Unpinned: the replicas get whatever cores there are, like the sandbox and the load.
  const pinning = { ...detectPinning(), enabled: false, note: 'nothing pinned: replicas, sandbox and load share the cores' };
  ensureBuild(cwd, log);

  const redis = await startRedis();
  const sandbox = await startSandboxProcess({ size: 'large', pinning, cwd, limits: 'vendor' });
  const interlink = await prepareInterlink(sandbox.line);
  const rows: Row[] = [];
  try {
    const tokens = await fetchTokens(sandbox.line);
    // The vendors' default client-side limits, as an operator runs it: not the bench's opened-up ones.
    const env = Object.fromEntries(Object.entries(interlink.env).filter(([name]) => !/^INTERLINK_(ZUORA|M3TER|REVIO)_(CONCURRENCY|RATE_PER_SECOND)$/.test(name)));
    for (const count of [1, replicas]) {
      const shared: Record<string, string> = count > 1 ? { INTERLINK_REDIS_URL: redis.url, INTERLINK_REPLICAS: String(count), INTERLINK_SHARED_TOKEN_KEY: randomBytes(32).toString('hex') } : {};
      await sandbox.resetLedger();
      const started = await startReplicas(count, { ...env, ...shared }, cwd, pinning);
      // The replicas' start-up, /readyz probes included: the token calls they made between them.
      const tokenCalls = (await ledgerEntries(sandbox)).filter(isTokenCall).length;
      try {
        const envs = started.map((target) => oneTargetEnvironment(target, { pinning, sandbox, tokens, apiKey: interlink.apiKey }));
        for (const id of workloads) {
          const probes: Probe[] = [];
          for (const replicaEnv of envs) probes.push(await probe(replicaEnv, 'interlink', workload(id), 1));
          const row = { ...(await measure(sandbox, started, probes, { workload: id, replicas: count, connections, durationS, pinning })), tokenCalls };
          rows.push(row);
          log(`${id}, ${count} replica(s): ${row.requestsPerSecond.toFixed(0)} req/s, ${row.tooMany} answers 429, peaks ${JSON.stringify(row.peakPerSecond)}`);
        }
      } finally {
        for (const target of started) await target.process.stop();
      }
      await redis.stop();
      await redis.start();
    }
  } finally {
    await sandbox.stop();
    await interlink.cleanup();
    await redis.stop();
  }
  console.log(
    [
      `Replicas: ${workloads.join(', ')}, ${connections} connections spread evenly over the replicas, ${durationS} s per row; sandbox with the vendors' limits (m3ter 50/s per org); Interlink with its default client-side limits; ${pinning.note}.`,
      '',
      '| workload | replicas | req/s | errors | vendor calls/s | most calls in one second (per tenant) | 429 answers | token calls |',
      '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.workload} | ${r.replicas}${r.replicas > 1 ? ' on Redis' : ''} | ${r.requestsPerSecond.toFixed(0)} | ${r.errors} | ${r.callsPerSecond.toFixed(0)} | ${Object.entries(r.peakPerSecond)
            .map(([vendor, peak]) => `${vendor} ${peak}`)
            .join(', ')} | ${r.tooMany} | ${r.tokenCalls} |`,
      ),
    ].join('\n'),
  );
  return 0;
}

async function startReplicas(count: number, env: Record<string, string>, cwd: string, pinning: BenchEnvironment['pinning']): Promise<RunningTarget[]> {
  // All at once, as a deployment starts them: one token call per vendor and tenant is the point.
  return Promise.all(Array.from({ length: count }, (_, index) => startInterlinkProcess({ label: `interlink replica ${index + 1}`, root: cwd, env, pinning })));
}

async function measure(
  sandbox: SandboxProcess,
  replicas: readonly RunningTarget[],
  probes: readonly Probe[],
  settings: { workload: WorkloadId; replicas: number; connections: number; durationS: number; pinning: BenchEnvironment['pinning'] },
): Promise<Omit<Row, 'tokenCalls'>> {
  await sleep(1000);
  await sandbox.resetLedger();
  const perReplica = Math.max(1, Math.round(settings.connections / replicas.length));
  const loads = await Promise.all(
    replicas.map((target, index) =>
      runPlanLoad({ baseUrl: target.url, plan: probes[index]!.plan, steps: probes[index]!.steps, connections: perReplica, durationS: settings.durationS, graphqlErrors: true, pinning: settings.pinning }),
    ),
  );
  await sleep(1000);
  const entries = await ledgerEntries(sandbox);
  const steps = probes[0]!.steps.length;
  const answered = loads.reduce((sum, load) => sum + load.responses, 0) / steps;
  const wallS = Math.max(...loads.map((load) => load.durationS));
  const calls = entries.filter((entry) => !isTokenCall(entry));
  return {
    workload: settings.workload,
    replicas: settings.replicas,
    requestsPerSecond: answered / wallS,
    errors: loads.reduce((sum, load) => sum + load.non2xx + load.graphqlErrors + load.socketErrors, 0),
    callsPerSecond: calls.length / wallS,
    peakPerSecond: peaks(calls),
    tooMany: entries.filter((entry) => entry.status === 429).length,
  };
}

/** Per vendor, the most calls one tenant made in any one-second bucket. */
function peaks(entries: readonly LedgerEntry[]): Record<string, number> {
  const buckets = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.vendor}|${entry.tenant ?? ''}|${Math.floor(Date.parse(entry.time) / 1000)}`;
    buckets.set(key, (buckets.get(key) ?? 0) + 1);
  }
  const result: Record<string, number> = {};
  for (const [key, count] of buckets) {
    const vendor = key.split('|')[0]!;
    result[vendor] = Math.max(result[vendor] ?? 0, count);
  }
  return result;
}

async function ledgerEntries(sandbox: SandboxProcess): Promise<LedgerEntry[]> {
  const body = (await (await fetch(`${sandbox.line.urls.zuora}/__sandbox/ledger`)).json()) as { entries: LedgerEntry[] };
  return body.entries;
}

/** Zuora's and m3ter's `POST /oauth/token` (Rev.io has none). */
function isTokenCall(entry: LedgerEntry): boolean {
  return entry.path.endsWith('/oauth/token');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
