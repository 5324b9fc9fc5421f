/**
 * Interlink as its own process (`src/index.ts`), configured for a sandbox that lives in the test
 * process, so the vendors' data outlives the gateway: stop it (SIGTERM, or SIGKILL as a crash
 * would) and start it again on the same data folder, as an operator's restart or deploy does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/lib/free-port.js';
import type { Sandbox } from '../../sandbox/index.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';

export interface GatewayProcessHome {
  /** The folder with the config file and the data folder, kept across starts. */
  dir: string;
  /** Bearer key with read and write on every sandbox tenant. */
  key: string;
  remove(): void;
}

export interface GatewayProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  output(): string;
  /** SIGTERM: drains, then exits; SIGKILL: gone at once. Resolves once the process has exited. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** A config file for every sandbox tenant and one admin key, in a new folder. */
export function gatewayHome(sandbox: Sandbox): GatewayProcessHome {
  const dir = mkdtempSync(join(tmpdir(), 'interlink-process-'));
  const key = `ilk_test_process_${process.pid}_${Date.now()}`;
  const strip = <T extends { name: string }>({ name: _name, ...rest }: T) => rest;
  const all = {
    zuora: sandbox.tenants.zuora.flatMap((tenant) => tenant.entityIds),
    m3ter: sandbox.tenants.m3ter.map((tenant) => tenant.orgId),
    revio: sandbox.tenants.revio.map((tenant) => tenant.clientCode),
  };
  const config = {
    zuora: { url: sandbox.urls.zuora, tenants: sandbox.tenants.zuora.map(strip) },
    m3ter: { url: sandbox.urls.m3ter, tenants: sandbox.tenants.m3ter.map(strip) },
    revio: { url: sandbox.urls.revio, tenants: sandbox.tenants.revio.map(strip) },
    apiKeys: [{ id: 'process-admin', hash: hashApiKey(key), scopes: ['read', 'write'], tenants: all }],
  };
  writeFileSync(join(dir, 'interlink.json'), JSON.stringify(config), { mode: 0o600 });
  return { dir, key, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startGatewayProcess(home: GatewayProcessHome, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      INTERLINK_CONFIG_FILE: join(home.dir, 'interlink.json'),
      INTERLINK_DATA_DIR: join(home.dir, 'data'),
      INTERLINK_PORT: String(port),
      INTERLINK_LOG_LEVEL: 'warn',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`the gateway did not answer /healthz in 60 s: ${output}`);
    const healthy = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async stop(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
