/**
 * A cached vendor list all replicas share (the Rev.io catalog, m3ter system names): one JSON value
 * with the Redis server's time it was loaded, under `interlink:v1:cache:<name>` with a TTL. Each
 * cache keeps its own refresh rules and asks here first: a replica that finds the entry young
 * enough uses it instead of calling the vendor. Only vendor configuration is stored, never a
 * secret. A Redis failure or an entry that does not decode reads as a miss.
 */
import type { SharedRedis } from './shared-redis.js';

export const CACHE_KEY_PREFIX = 'interlink:v1:cache:';

/** KEYS: entry. ARGV: JSON, TTL ms. */
const WRITE = `
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'at', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;
/** KEYS: entry. Returns {JSON, age ms} or nil. */
const READ = `
local e = redis.call('HMGET', KEYS[1], 'v', 'at')
if not e[1] or not e[2] then return nil end
local t = redis.call('TIME')
return { e[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(e[2]) }
`;

export const CACHE_SCRIPTS = { interlinkCacheWrite: WRITE, interlinkCacheRead: READ } as const;

interface CacheCommands {
  interlinkCacheWrite(key: string, json: string, ttlMs: number): Promise<number>;
  interlinkCacheRead(key: string): Promise<[string, number] | null>;
}

/** One shared entry, as a cache module uses it. */
export interface SharedEntry<T> {
  /** The stored value and its age, or `undefined` (none, unreadable, or Redis away). */
  read(): Promise<{ value: T; ageMs: number } | undefined>;
  /** Stores `value` as loaded now; failures are reported and otherwise ignored. */
  write(value: T): Promise<void>;
}

export interface SharedEntryOptions<T> {
  /** `<cache>:<tenant>`, e.g. `revio-catalog:acmetel`. */
  name: string;
  ttlMs: number;
  /** Checks what Redis held: `undefined` for anything that is not a `T`. */
  decode(value: unknown): T | undefined;
  onRead?: (hit: boolean) => void;
}

export function createSharedEntry<T>(shared: SharedRedis, options: SharedEntryOptions<T>): SharedEntry<T> {
  const key = CACHE_KEY_PREFIX + options.name;
  const commands = (redis: unknown) => redis as CacheCommands;
  const report = (hit: boolean) => {
    try {
      options.onRead?.(hit);
    } catch {
      // A metrics listener must not break a read.
    }
  };
  return {
    async read() {
      const stored = await shared.run('cache', (redis) => commands(redis).interlinkCacheRead(key)).catch(() => null);
      let value: T | undefined;
      try {
        value = stored === null ? undefined : options.decode(JSON.parse(stored[0]));
      } catch {
        value = undefined;
      }
      report(value !== undefined);
      return value === undefined || stored === null ? undefined : { value, ageMs: Math.max(0, stored[1]) };
    },
    async write(value) {
      await shared.run('cache', (redis) => commands(redis).interlinkCacheWrite(key, JSON.stringify(value), options.ttlMs)).catch(() => undefined);
    },
  };
}
