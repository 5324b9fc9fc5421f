/**
 * What in a replica set's Redis setup breaks a promise without failing a command, so nothing else
 * would say it: a Redis that keeps nothing on disk (a restart of it forgets every clientMutationId
 * record and shared budget), and replicas whose INTERLINK_SHARED_TOKEN_KEY differ (each then
 * fails to read the tokens the others share, and fetches its own). Reported at start and in
 * `/readyz` as warning codes; neither takes the gateway out of rotation.
 *
 * Each replica announces a fingerprint of its token key (an HMAC of a fixed text, never the key)
 * under its own short-lived Redis key, and compares the ones it finds.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export type RedisSetupWarning = 'REDIS_NOT_PERSISTENT' | 'SHARED_TOKEN_KEY_MISMATCH';

const ANNOUNCE_PREFIX = 'interlink:v1:token-key-fingerprint:';
/** Longer than a few readiness rounds, so a live replica's entry never lapses between them. */
const ANNOUNCE_TTL_S = 120;

export interface RedisSetupCheck {
  /** The warnings as of now; announces this replica's fingerprint again as it checks. */
  warnings(): Promise<RedisSetupWarning[]>;
}

export function redisSetupCheck(redis: Redis, tokenKey: string | undefined): RedisSetupCheck {
  const replica = randomUUID();
  const fingerprint = tokenKey === undefined ? 'none' : createHmac('sha256', Buffer.from(tokenKey, 'hex')).update('interlink shared token key fingerprint').digest('hex').slice(0, 16);
  return {
    async warnings() {
      const warnings: RedisSetupWarning[] = [];
      if ((await persists(redis)) === false) warnings.push('REDIS_NOT_PERSISTENT');
      await redis.set(ANNOUNCE_PREFIX + replica, fingerprint, 'EX', ANNOUNCE_TTL_S);
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${ANNOUNCE_PREFIX}*`, 'COUNT', 100);
        cursor = next;
        if (keys.length > 0) for (const value of await redis.mget(...keys)) if (value !== null) seen.add(value);
      } while (cursor !== '0');
      if (seen.size > 1) warnings.push('SHARED_TOKEN_KEY_MISMATCH');
      return warnings;
    },
  };
}

/** Whether Redis writes its data to disk (AOF or RDB snapshots); `undefined` when CONFIG is not allowed (managed Redis). */
async function persists(redis: Redis): Promise<boolean | undefined> {
  try {
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    const [, save] = (await redis.config('GET', 'save')) as string[];
    return appendonly === 'yes' || (save !== undefined && save.trim() !== '');
  } catch {
    return undefined;
  }
}
