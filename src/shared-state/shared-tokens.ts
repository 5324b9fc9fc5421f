/**
 * One OAuth token per (vendor, credential) for all replicas: the first replica that needs one
 * takes a lock (`SET NX PX`), fetches it and stores it sealed (token-cipher.ts) for as long as it
 * stays fresh; the others wait for the lock and read what it stored. A refused token is dropped
 * only if it is still the stored one (compared by fingerprint in a script), so a hundred calls
 * failing with the same stale token cause one refresh across all replicas, not one each.
 *
 *   interlink:v1:token:<vendor>:<credential hash>        hash {ct, fp}, PX = until refresh is due
 *   interlink:v1:token:<vendor>:<credential hash>:lock   the fetching replica's id, PX 15 s
 *
 * Freshness is the key's own TTL, so every replica reads it by the Redis server's clock. Any
 * Redis failure falls back to fetching the token locally, as a replica without Redis does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FreshToken, SharedTokenSlot } from '../upstreams/token-provider.js';
import type { Vendor } from '../upstreams/vendor.js';
import type { SharedRedis } from './shared-redis.js';
import type { TokenCipher } from './token-cipher.js';

export const TOKEN_KEY_PREFIX = 'interlink:v1:token:';

/** Longer than a token call with its retries takes; a holder that dies frees it within this. */
const LOCK_MS = 15_000;
/** How long a replica waits for another's fetch before it fetches for itself. */
const WAIT_MS = 20_000;
const POLL_MS = 25;

/** KEYS: lock. ARGV: holder id. Deletes the lock only for its holder. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** KEYS: token. ARGV: fingerprint of the refused token. */
const DROP = `if redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** KEYS: token. Returns {sealed, ms it stays fresh} or nil. */
const READ = `
local sealed = redis.call('HGET', KEYS[1], 'ct')
if not sealed then return nil end
return { sealed, redis.call('PTTL', KEYS[1]) }
`;

export const TOKEN_SCRIPTS = { interlinkTokenUnlock: UNLOCK, interlinkTokenDrop: DROP, interlinkTokenRead: READ } as const;

interface TokenCommands {
  interlinkTokenUnlock(lockKey: string, holder: string): Promise<number>;
  interlinkTokenDrop(tokenKey: string, fingerprint: string): Promise<number>;
  interlinkTokenRead(tokenKey: string): Promise<[string, number] | null>;
}

/** A credential's name in keys: a hash of its id, so no client id appears in Redis either. */
export function credentialSlot(vendor: Vendor, credentialId: string): string {
  return `${TOKEN_KEY_PREFIX}${vendor}:${createHash('sha256').update(`${vendor}:${credentialId}`).digest('hex').slice(0, 24)}`;
}

export interface SharedTokensOptions {
  shared: SharedRedis;
  cipher: TokenCipher;
  vendor: Vendor;
  /** The credential's id (client id, access key id): hashed into the key, never stored. */
  credentialId: string;
  /** Time spent waiting for another replica's fetch, for metrics. */
  onLockWait?: (event: { vendor: Vendor; waitMs: number }) => void;
}

const UNAVAILABLE: unique symbol = Symbol('redis unavailable');

export function createSharedTokens(options: SharedTokensOptions): SharedTokenSlot {
  const { shared, cipher, vendor } = options;
  const key = credentialSlot(vendor, options.credentialId);
  const lockKey = `${key}:lock`;
  const commands = (redis: unknown) => redis as TokenCommands;
  const quietly = <T>(command: Parameters<SharedRedis['run']>[1]): Promise<T | typeof UNAVAILABLE> =>
    shared.run('token', command).then(
      (value) => value as T,
      () => UNAVAILABLE,
    );

  const read = async (): Promise<FreshToken | undefined | typeof UNAVAILABLE> => {
    const stored = await quietly<[string, number] | null>((redis) => commands(redis).interlinkTokenRead(key));
    if (stored === UNAVAILABLE) return UNAVAILABLE;
    if (stored === null) return undefined;
    const [sealed, freshForMs] = stored;
    const value = freshForMs > 0 ? cipher.open(sealed, key) : undefined;
    return value === undefined ? undefined : { value, freshForMs };
  };

  const reportWait = (since: number | undefined) => {
    if (since === undefined) return;
    try {
      options.onLockWait?.({ vendor, waitMs: Date.now() - since });
    } catch {
      // A metrics listener must not break authentication.
    }
  };

  return {
    async obtain(fetch) {
      const giveUpAt = Date.now() + WAIT_MS;
      let waitingSince: number | undefined;
      for (;;) {
        const stored = await read();
        if (stored === UNAVAILABLE) return fetch();
        if (stored !== undefined) {
          reportWait(waitingSince);
          return stored;
        }
        const holder = randomUUID();
        const locked = await quietly<string | null>((redis) => redis.set(lockKey, holder, 'PX', LOCK_MS, 'NX'));
        if (locked === UNAVAILABLE) return fetch();
        if (locked === 'OK') {
          reportWait(waitingSince);
          try {
            // Stored between our read and our lock: the fetch is done.
            const again = await read();
            if (again !== undefined && again !== UNAVAILABLE) return again;
            const fresh = await fetch();
            if (fresh.freshForMs > 0) {
              await quietly((redis) => redis.multi().del(key).hset(key, 'ct', cipher.seal(fresh.value, key), 'fp', cipher.fingerprint(fresh.value)).pexpire(key, Math.floor(fresh.freshForMs)).exec());
            }
            return fresh;
          } finally {
            await quietly((redis) => commands(redis).interlinkTokenUnlock(lockKey, holder));
          }
        }
        // Another replica is fetching: wait for it, unless it takes longer than a fetch can.
        waitingSince ??= Date.now();
        if (Date.now() > giveUpAt) return fetch();
        await sleep(POLL_MS);
      }
    },
    async invalidate(value) {
      await quietly((redis) => commands(redis).interlinkTokenDrop(key, cipher.fingerprint(value)));
    },
  };
}
