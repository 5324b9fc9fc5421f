/**
 * The process's `clientMutationId` store, as configured: Redis when replicas share it
 * (`INTERLINK_REDIS_URL`), else an SQLite file under the data folder that outlives restarts, or
 * memory when chosen explicitly (`INTERLINK_IDEMPOTENCY_STORE=memory`, with a warning: a replay
 * after a restart may then write again). On the embedded sandbox, whose data is new on every
 * start, the file goes to a temporary folder unless `INTERLINK_DATA_DIR` names one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IdempotencyStore } from './idempotency-store.js';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.js';
import { createRedisIdempotencyStore, type RedisIdempotencyStore } from './redis-idempotency-store.js';
import { createSqliteIdempotencyStore } from './sqlite-idempotency-store.js';

export interface IdempotencySettings {
  store: 'sqlite' | 'memory';
  dataDir?: string;
  ttlMs: number;
  maxEntries: number;
  redisUrl?: string;
}

export interface OpenedIdempotencyStore {
  store: IdempotencyStore;
  /** Set when Redis holds the records (readiness pings it). */
  redis?: RedisIdempotencyStore;
  /** `redis`, `sqlite` or `memory`, and the file for `sqlite`: for the start banner and logs. */
  kind: 'redis' | 'sqlite' | 'memory';
  file?: string;
  close(): Promise<void>;
}

export interface OpenIdempotencyStoreOptions {
  settings: IdempotencySettings;
  /** `sandbox`: the embedded sandbox, whose data does not outlive the process. */
  mode: 'sandbox' | 'upstream';
  logger: Logger;
  onRedisError(): void;
  onInvalidRecord(store: 'sqlite' | 'redis'): void;
}

export const IDEMPOTENCY_FILE = 'idempotency.sqlite';

export function openIdempotencyStore({ settings, mode, logger, onRedisError, onInvalidRecord }: OpenIdempotencyStoreOptions): OpenedIdempotencyStore {
  const invalid = (store: 'sqlite' | 'redis') => (key: string, reason: string) => {
    onInvalidRecord(store);
    // The key is a hash of caller, tenant, operation and clientMutationId: no secret in it.
    logger.error({ store, key, reason }, 'a clientMutationId record cannot be read; answered IDEMPOTENCY_RECORD_INVALID');
  };
  if (settings.redisUrl !== undefined) {
    const redis = createRedisIdempotencyStore({ url: settings.redisUrl, ttlMs: settings.ttlMs, onError: onRedisError, onInvalidRecord: invalid('redis') });
    return { store: redis, redis, kind: 'redis', close: () => redis.close() };
  }
  if (settings.store === 'memory') {
    logger.warn('INTERLINK_IDEMPOTENCY_STORE=memory: clientMutationId records are lost when the process stops, so a write replayed after a restart may be made twice');
    return { store: createMemoryIdempotencyStore(settings), kind: 'memory', close: async () => {} };
  }
  const temporary = settings.dataDir === undefined && mode === 'sandbox' ? mkdtempSync(join(tmpdir(), 'interlink-data-')) : undefined;
  const file = join(temporary ?? settings.dataDir ?? 'data', IDEMPOTENCY_FILE);
  const sqlite = createSqliteIdempotencyStore({ file, ttlMs: settings.ttlMs, maxEntries: settings.maxEntries, onInvalidRecord: invalid('sqlite') });
  return {
    store: sqlite,
    kind: 'sqlite',
    file,
    async close() {
      sqlite.close();
      if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
