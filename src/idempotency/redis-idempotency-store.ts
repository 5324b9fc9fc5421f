/**
 * The `IdempotencyStore` shared by several gateway replicas through Redis (`INTERLINK_REDIS_URL`),
 * so a replay that lands on another replica still finds the first write. Each operation is one
 * Lua script on one key, so it is atomic across replicas: a claim is `SET`-if-absent (or a
 * take-over of an expired lease or an unknown outcome), completing, marking unknown and
 * releasing act only while the caller's token still holds the lease. Lease times come from the
 * Redis server's clock (`TIME`), not the replicas', whose clocks may disagree.
 *
 * Keys are `interlink:v1:idem:<key>`: namespaced, and versioned so a changed record shape never
 * meets an old one. The key is already a hash (caller, tenant, operation, clientMutationId) and a
 * record holds a fingerprint and a vendor reference: no secret is stored.
 *
 * When Redis does not answer, a write with a `clientMutationId` fails at once with the retryable
 * IDEMPOTENCY_STORE_UNAVAILABLE rather than write without its record and risk a duplicate.
 * Once the write has been made, though, a record that cannot be settled is reported, not thrown:
 * the caller gets the write's own outcome (refusing a write that landed would invite a retry that
 * writes twice), and the record stays in progress until its lease runs out, when the next claim
 * reconciles with the vendor before writing.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { IdempotencyStoreUnavailableError } from '../errors.js';
import type { Claim, IdempotencyStore } from './idempotency-store.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS } from './memory-idempotency-store.js';
import { invalidRecord, readStoredRef } from './write-ref-from-stored.js';

export const REDIS_KEY_PREFIX = 'interlink:v1:idem:';

export interface RedisIdempotencyStoreOptions {
  /** `redis://[:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Default 24 h, as the in-memory store. */
  ttlMs?: number;
  /** How long one command may take before the write is refused as retryable (default 1 s). */
  commandTimeoutMs?: number;
  /** Each command that failed or timed out, for metrics. */
  onError?: () => void;
  /** A record that could not be read back, for the log line and the metric. */
  onInvalidRecord?: (key: string, reason: string) => void;
}

export interface RedisIdempotencyStore extends IdempotencyStore {
  /** Whether Redis answers a PING now (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// Shared preamble: the record (JSON) and the server's clock in ms.
const READ = `
local raw = redis.call('GET', KEYS[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * ARGV: fingerprint, token, leaseMs, ttlMs. Returns {status, token|ref, reconcile, before}, where
 * `before` is what keepBefore or markUnknown kept, as JSON text ('' for none).
 */
const CLAIM = `${READ}
if not raw then
  redis.call('SET', KEYS[1], cjson.encode({ fp = ARGV[1], state = 'in-progress', token = ARGV[2], leaseUntil = now + tonumber(ARGV[3]) }), 'PX', ARGV[4])
  return { 'claimed', ARGV[2], 0, '' }
end
local ok, r = pcall(cjson.decode, raw)
if not ok or type(r) ~= 'table' or type(r.fp) ~= 'string' then return { 'invalid', raw } end
if r.fp ~= ARGV[1] then return { 'reused' } end
if r.state == 'done' then return { 'done', r.ref } end
if r.state == 'in-progress' and r.leaseUntil > now then return { 'in-progress' } end
r.state = 'in-progress'
r.token = ARGV[2]
r.leaseUntil = now + tonumber(ARGV[3])
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return { 'claimed', ARGV[2], 1, r.before or '' }
`;

/**
 * ARGV: token, then the new state ('done' | 'unknown' | 'release'), or 'keep-before' (the state
 * stays in progress), then the ref (done) or a create's reading from before its first attempt
 * (keep-before, unknown; JSON text, kept as text: cjson would turn an empty array into an object).
 */
const SETTLE = `${READ}
if not raw then return 0 end
local ok, r = pcall(cjson.decode, raw)
if not ok or type(r) ~= 'table' or r.state ~= 'in-progress' or r.token ~= ARGV[1] then return 0 end
if ARGV[2] == 'release' then
  redis.call('DEL', KEYS[1])
  return 1
end
r.state = ARGV[2]
r.token = nil
r.leaseUntil = nil
if ARGV[2] == 'keep-before' then
  r.before = ARGV[3]
  redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
  return 1
end
if ARGV[2] == 'done' then r.ref = ARGV[3] end
if ARGV[2] == 'unknown' and ARGV[3] and ARGV[3] ~= '' then r.before = ARGV[3] end
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return 1
`;

export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): RedisIdempotencyStore {
  const ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
  const redis = new Redis(options.url, {
    // Fail fast instead of queueing commands while Redis is away: the caller retries later.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    // Keep reconnecting in the background, so Redis coming back needs no restart.
    retryStrategy: (times) => Math.min(100 * times, 2_000),
    lazyConnect: false,
  });
  // Errors surface on the commands; the connection's own events must not crash the process.
  redis.on('error', () => undefined);
  redis.defineCommand('interlinkClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('interlinkSettle', { numberOfKeys: 1, lua: SETTLE });
  const commands = redis as unknown as {
    interlinkClaim(key: string, fingerprint: string, token: string, leaseMs: number, ttlMs: number): Promise<[string, string?, number?, string?]>;
    interlinkSettle(key: string, token: string, state: string, ref?: string): Promise<number>;
  };

  const commandTimeoutMs = options.commandTimeoutMs ?? 1_000;
  // Without an offline queue, a command before the connection is ready fails at once: wait for it
  // briefly (the first requests after start, or after Redis came back).
  const ready = (): Promise<void> =>
    redis.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            redis.off('ready', onReady);
            reject(new Error(`Redis is ${redis.status}`));
          }, commandTimeoutMs);
          const onReady = () => {
            clearTimeout(timer);
            resolve();
          };
          redis.once('ready', onReady);
        });
  const guarded = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      await ready();
      return await run();
    } catch (error) {
      try {
        options.onError?.();
      } catch {
        // A metrics listener must not change the outcome.
      }
      throw new IdempotencyStoreUnavailableError(`The idempotency store did not answer (${what}); retry the write with the same clientMutationId`, { cause: error });
    }
  };

  return {
    async claim(key, fingerprint, leaseMs) {
      const [status, value, reconcile, kept] = await guarded('claim', () => commands.interlinkClaim(REDIS_KEY_PREFIX + key, fingerprint, randomUUID(), leaseMs, ttlMs));
      switch (status) {
        case 'claimed':
          return { status, token: value!, reconcile: reconcile === 1, ...(kept ? { before: JSON.parse(kept) as string[] } : {}) } satisfies Claim;
        case 'done':
          // A record from before an upgrade may hold a ref in an older shape (write-ref-from-stored.ts).
          return { status, ref: readStoredRef(key, value, options.onInvalidRecord) };
        case 'invalid':
          // Not "no record" (that would write again), and not retryable: the next claim reads the same.
          throw invalidRecord(key, 'the record is not a JSON record with a fingerprint', options.onInvalidRecord);
        case 'in-progress':
        case 'reused':
          return { status };
        default:
          throw new Error(`unexpected claim answer ${String(status)}`);
      }
    },
    // Settling runs after the vendor call: a failure here is counted, never thrown (see above).
    async complete(key, token, ref) {
      await guarded('complete', () => commands.interlinkSettle(REDIS_KEY_PREFIX + key, token, 'done', JSON.stringify(ref))).catch(() => undefined);
    },
    async keepBefore(key, token, before) {
      await guarded('keep the reading', () => commands.interlinkSettle(REDIS_KEY_PREFIX + key, token, 'keep-before', JSON.stringify(before))).catch(() => undefined);
    },
    async markUnknown(key, token, before) {
      await guarded('mark unknown', () => commands.interlinkSettle(REDIS_KEY_PREFIX + key, token, 'unknown', before === undefined ? '' : JSON.stringify(before))).catch(() => undefined);
    },
    async release(key, token) {
      await guarded('release', () => commands.interlinkSettle(REDIS_KEY_PREFIX + key, token, 'release')).catch(() => undefined);
    },
    ping: () =>
      ready()
        .then(() => redis.ping())
        .then(
          (answer) => answer === 'PONG',
          () => false,
        ),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
