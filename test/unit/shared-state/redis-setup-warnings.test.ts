import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSetupCheck } from '../../../src/shared-state/redis-setup-warnings.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

describe('Redis setup warnings', () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('reports a Redis that keeps nothing on disk, and stops once AOF is on', async () => {
    await redis.flushall();
    expect(await redisSetupCheck(redis, KEY_A).warnings()).toEqual(['REDIS_NOT_PERSISTENT']);
    await redis.config('SET', 'appendonly', 'yes');
    try {
      expect(await redisSetupCheck(redis, KEY_A).warnings()).toEqual([]);
    } finally {
      await redis.config('SET', 'appendonly', 'no');
    }
  });

  it('reports replicas whose shared token keys differ (or one without a key), never for the same key', async () => {
    await redis.config('SET', 'appendonly', 'yes');
    try {
      await redis.flushall();
      const a = redisSetupCheck(redis, KEY_A);
      const alsoA = redisSetupCheck(redis, KEY_A);
      expect(await a.warnings()).toEqual([]);
      expect(await alsoA.warnings()).toEqual([]);
      const b = redisSetupCheck(redis, KEY_B);
      expect(await b.warnings()).toEqual(['SHARED_TOKEN_KEY_MISMATCH']);
      expect(await a.warnings()).toEqual(['SHARED_TOKEN_KEY_MISMATCH']);
      await redis.flushall();
      expect(await redisSetupCheck(redis, undefined).warnings()).toEqual([]);
      expect(await redisSetupCheck(redis, KEY_A).warnings()).toEqual(['SHARED_TOKEN_KEY_MISMATCH']);
      // Only a fingerprint is stored, never the key.
      const stored = await redis.mget(...(await redis.keys('interlink:v1:token-key-fingerprint:*')));
      expect(stored.join(' ')).not.toContain(KEY_A.slice(0, 16));
    } finally {
      await redis.config('SET', 'appendonly', 'no');
    }
  });
});
