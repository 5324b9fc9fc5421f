/**
 * Interlink from the production build (`dist/src/index.js`), configured as an operator would
 * for several companies: every seeded tenant of each vendor in a config file, and one API key per
 * company granted only that company's tenants. Logs at `warn`; the key files live in a temporary
 * folder removed on stop.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchProcess, type BenchProcess } from '../../bench/lib/bench-process.js';
import { INTERLINK_BUILD } from '../../bench/lib/ensure-build.js';
import type { Sandbox } from '../../sandbox/index.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { freePort } from '../../bench/lib/free-port.js';

export interface SoakGateway {
  url: string;
  /** The process serving now (a new one after each restart). */
  readonly process: BenchProcess;
  /** Stops the process (SIGTERM: drains; SIGKILL: at once) and starts another on the same port and data folder. */
  restart(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Restarts so far. */
  readonly restarts: number;
  /** The bearer key of company `index`. */
  keyOf(index: number): string;
  /** A read-only key of the first company, for the phase in which one key floods. */
  floodKey: string;
  stop(): Promise<void>;
}

export async function startSoakGateway(sandbox: Sandbox, tenants: number, cwd: string): Promise<SoakGateway> {
  const { fixtures } = sandbox;
  const keys = Array.from({ length: tenants }, () => `soak_${randomBytes(24).toString('base64url')}`);
  const apiKeys = keys.map((key, index) => {
    const company = fixtures.facts.companies[index]!;
    return {
      id: `soak-${company.slug}`,
      hash: hashApiKey(key),
      scopes: ['read', 'write'],
      tenants: { zuora: fixtures.zuora.tenants[index]!.entities.map((e) => e.id), m3ter: [company.m3ter.orgId], revio: [company.revio.clientCode] },
    };
  });
  const floodKey = `soak_${randomBytes(24).toString('base64url')}`;
  apiKeys.push({ ...apiKeys[0]!, id: 'soak-flood', hash: hashApiKey(floodKey), scopes: ['read'] });
  const strip = <T extends { name: string }>({ name: _name, ...rest }: T) => rest;
  const config = {
    zuora: { url: sandbox.urls.zuora, tenants: sandbox.tenants.zuora.map(strip) },
    m3ter: { url: sandbox.urls.m3ter, tenants: sandbox.tenants.m3ter.map(strip) },
    revio: { url: sandbox.urls.revio, tenants: sandbox.tenants.revio.map(strip) },
    apiKeys,
  };
  const dir = await mkdtemp(join(tmpdir(), 'interlink-soak-'));
  const configFile = join(dir, 'interlink.json');
  await writeFile(configFile, JSON.stringify(config), { mode: 0o600 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const start = () => startBenchProcess({
    label: 'interlink',
    command: process.execPath,
    args: [INTERLINK_BUILD],
    cwd,
    env: { ...process.env, NODE_ENV: 'production', INTERLINK_CONFIG_FILE: configFile, INTERLINK_DATA_DIR: join(dir, 'data'), INTERLINK_PORT: String(port), INTERLINK_HOST: '127.0.0.1', INTERLINK_LOG_LEVEL: 'warn' },
    ready: { kind: 'poll', url: `${url}/healthz` },
    timeoutMs: 30_000,
  });
  let child = await start();
  let restarts = 0;
  return {
    url,
    get process() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    async restart(signal) {
      if (signal === 'SIGKILL') await child.kill();
      else await child.stop(15_000);
      child = await start();
      restarts += 1;
    },
    keyOf: (index) => keys[index]!,
    floodKey,
    async stop() {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
