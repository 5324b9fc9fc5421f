/**
 * Interlink's configuration for the bench, as environment variables (src/config.ts): the sandbox's
 * first tenant at each vendor, client-side vendor limiters opened up (the sandbox runs with limits
 * off, and the other targets have no limiter either), `warn` logging, and one API key allowed to
 * read and write for those tenants, stored as its hash in a temporary keys file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import type { SandboxInfo } from '../sandbox-server.js';

export const INTERLINK_LOG_LEVEL = 'warn';

export interface InterlinkSetup {
  /** The bearer key the workloads send. */
  apiKey: string;
  env: Record<string, string>;
  /** Removes the temporary keys file. */
  cleanup(): Promise<void>;
}

export async function prepareInterlink(sandbox: SandboxInfo): Promise<InterlinkSetup> {
  const { urls, credentials: c } = sandbox;
  const entityIds = c.zuora.entityIds.map(hyphenate);
  const apiKey = `bench_${randomBytes(24).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'interlink-bench-'));
  const keysFile = join(dir, 'api-keys.json');
  const record = {
    id: 'bench',
    hash: hashApiKey(apiKey),
    scopes: ['read', 'write'],
    tenants: { zuora: entityIds, m3ter: [c.m3ter.orgId], revio: [c.revio.clientCode] },
  };
  await writeFile(keysFile, JSON.stringify([record]), { mode: 0o600 });
  const env: Record<string, string> = {
    INTERLINK_HOST: '127.0.0.1',
    INTERLINK_LOG_LEVEL,
    INTERLINK_API_KEYS_FILE: keysFile,
    // The sandbox is new every run: its clientMutationId records live and go with this run.
    INTERLINK_DATA_DIR: join(dir, 'data'),
    INTERLINK_ZUORA_URL: urls.zuora,
    INTERLINK_ZUORA_CLIENT_ID: c.zuora.clientId,
    INTERLINK_ZUORA_CLIENT_SECRET: c.zuora.clientSecret,
    INTERLINK_ZUORA_ENTITY_IDS: entityIds.join(','),
    INTERLINK_M3TER_URL: urls.m3ter,
    INTERLINK_M3TER_ORG_ID: c.m3ter.orgId,
    INTERLINK_M3TER_ACCESS_KEY_ID: c.m3ter.accessKeyId,
    INTERLINK_M3TER_API_SECRET: c.m3ter.apiSecret,
    INTERLINK_REVIO_URL: urls.revio,
    INTERLINK_REVIO_CLIENT_CODE: c.revio.clientCode,
    INTERLINK_REVIO_LOGIN: c.revio.login,
    INTERLINK_REVIO_PASSWORD: c.revio.password,
    INTERLINK_REVIO_SUBSCRIPTION_KEY: c.revio.subscriptionKey,
  };
  for (const vendor of ['ZUORA', 'M3TER', 'REVIO']) {
    env[`INTERLINK_${vendor}_CONCURRENCY`] = '256';
    env[`INTERLINK_${vendor}_RATE_PER_SECOND`] = '0'; // 0: no rate cap
  }
  return { apiKey, env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** 32 hex digits → 8-4-4-4-12, the form Interlink's config and grants keep Zuora entity ids in. */
function hyphenate(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
