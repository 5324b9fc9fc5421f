/**
 * The gateway the load shapes run against, as its own process (`node --import tsx src/index.ts`,
 * the source this worktree holds, no build step): its RSS is its own, read from /proc, not
 * mixed with the sandbox's or the harness's. Configured from a file like an operator's: every
 * seeded tenant, an attacker key (read and write, every tenant) and a probe key (read only).
 * GraphiQL is built first when stale, as `npm start` does: the process refuses to start without it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchProcess, type BenchProcess } from '../../bench/lib/bench-process.js';
import { freePort } from '../../bench/lib/free-port.js';
import type { Sandbox } from '../../sandbox/index.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { everyTenant } from './fuzz-callers.js';

export interface LoadGateway {
  url: string;
  process: BenchProcess;
  attackerKey: string;
  probeKey: string;
  /** Resident set size of the gateway process now, in MB (undefined once it has exited). */
  rssMb(): number | undefined;
  stop(): Promise<void>;
}

export async function startLoadGateway(sandbox: Sandbox, cwd: string): Promise<LoadGateway> {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-graphiql.ts', '--if-stale'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (built.status !== 0) throw new Error(`building GraphiQL for the gateway process failed (exit ${built.status}): ${built.stderr.toString().slice(-400)}`);
  const attackerKey = `fuzz_attacker_${randomBytes(18).toString('base64url')}`;
  const probeKey = `fuzz_probe_${randomBytes(18).toString('base64url')}`;
  const strip = <T extends { name: string }>({ name: _name, ...rest }: T) => rest;
  const config = {
    zuora: { url: sandbox.urls.zuora, tenants: sandbox.tenants.zuora.map(strip) },
    m3ter: { url: sandbox.urls.m3ter, tenants: sandbox.tenants.m3ter.map(strip) },
    revio: { url: sandbox.urls.revio, tenants: sandbox.tenants.revio.map(strip) },
    apiKeys: [
      { id: 'fuzz-attacker', hash: hashApiKey(attackerKey), scopes: ['read', 'write'], tenants: everyTenant(sandbox) },
      { id: 'fuzz-probe', hash: hashApiKey(probeKey), scopes: ['read'], tenants: everyTenant(sandbox) },
    ],
  };
  const dir = await mkdtemp(join(tmpdir(), 'interlink-fuzz-load-'));
  const configFile = join(dir, 'interlink.json');
  await writeFile(configFile, JSON.stringify(config), { mode: 0o600 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startBenchProcess({
    label: 'interlink (fuzz load)',
    command: process.execPath,
    args: ['--import', 'tsx', 'src/index.ts'],
    cwd,
    env: { ...process.env, NODE_ENV: 'production', INTERLINK_CONFIG_FILE: configFile, INTERLINK_PORT: String(port), INTERLINK_HOST: '127.0.0.1', INTERLINK_LOG_LEVEL: 'warn' },
    ready: { kind: 'poll', url: `${url}/healthz` },
    timeoutMs: 60_000,
  });
  return {
    url,
    process: child,
    attackerKey,
    probeKey,
    rssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
        return kb === undefined ? undefined : Number(kb) / 1024;
      } catch {
        return undefined;
      }
    },
    async stop() {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
