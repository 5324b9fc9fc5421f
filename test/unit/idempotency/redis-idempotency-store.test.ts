/**
 * The Redis idempotency store against a real redis-server: the same record rules as the
 * in-memory store, atomic across two store instances (two replicas), leases on the server's
 * clock, and a retryable refusal while Redis is away, with recovery and no restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyRecordInvalidError, IdempotencyStoreUnavailableError } from '../../../src/errors.js';
import type { Claim, WriteRef } from '../../../src/idempotency/idempotency-store.js';
import { createRedisIdempotencyStore, REDIS_KEY_PREFIX, type RedisIdempotencyStore } from '../../../src/idempotency/redis-idempotency-store.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const REF: WriteRef = { vendor: 'm3ter', tenant: 'org-1', linkId: 'abc' };
const LEASE = 60_000;

function tokenOf(claim: Claim): string {
  if (claim.status !== 'claimed') throw new Error(`expected a claim, got ${claim.status}`);
  return claim.token;
}

describe('Redis idempotency store', () => {
  let redis: TestRedis;
  let replicaA: RedisIdempotencyStore;
  let replicaB: RedisIdempotencyStore;
  let n = 0;
  const key = () => `test-${process.pid}-${(n += 1)}`;

  beforeAll(async () => {
    redis = await startRedis();
    replicaA = createRedisIdempotencyStore({ url: redis.url, ttlMs: 60_000 });
    replicaB = createRedisIdempotencyStore({ url: redis.url, ttlMs: 60_000 });
    expect(await replicaA.ping()).toBe(true);
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    await redis?.stop();
  });

  it('claims, reports in progress to the other replica, then done with the ref', async () => {
    const k = key();
    const first = await replicaA.claim(k, 'fp', LEASE);
    expect(first).toMatchObject({ status: 'claimed', reconcile: false });
    expect(await replicaB.claim(k, 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await replicaA.complete(k, tokenOf(first), REF);
    expect(await replicaB.claim(k, 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
    expect(await replicaB.claim(k, 'another input', LEASE)).toEqual({ status: 'reused' });
  });

  it('gives exactly one of ten concurrent claims from two replicas the write', async () => {
    const k = key();
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? replicaA : replicaB).claim(k, 'fp', LEASE)));
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'in-progress')).toHaveLength(9);
  });

  it('frees a released key, hands an unknown outcome over with reconcile, and ignores a stale token', async () => {
    const released = key();
    await replicaA.release(released, tokenOf(await replicaA.claim(released, 'fp', LEASE)));
    expect(await replicaB.claim(released, 'other', LEASE)).toMatchObject({ status: 'claimed', reconcile: false });

    const unknown = key();
    const stale = tokenOf(await replicaA.claim(unknown, 'fp', LEASE));
    await replicaA.markUnknown(unknown, stale);
    const takeover = await replicaB.claim(unknown, 'fp', LEASE);
    expect(takeover).toMatchObject({ status: 'claimed', reconcile: true });
    await replicaA.complete(unknown, stale, { ...REF, linkId: 'not-ours' });
    expect(await replicaA.claim(unknown, 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await replicaB.complete(unknown, tokenOf(takeover), REF);
    expect(await replicaA.claim(unknown, 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
  });

  it("hands a create's reading from before its first attempt to the replica that reconciles, an empty one too", async () => {
    const [k, empty, none] = [key(), key(), key()];
    await replicaA.markUnknown(k, tokenOf(await replicaA.claim(k, 'fp', LEASE)), ['12', '9']);
    expect(await replicaB.claim(k, 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true, before: ['12', '9'] });
    await replicaA.markUnknown(empty, tokenOf(await replicaA.claim(empty, 'fp', LEASE)), []);
    expect(await replicaB.claim(empty, 'fp', LEASE)).toMatchObject({ reconcile: true, before: [] });
    await replicaA.markUnknown(none, tokenOf(await replicaA.claim(none, 'fp', LEASE)));
    expect(await replicaB.claim(none, 'fp', LEASE)).not.toHaveProperty('before');
  });

  it('takes over a lease that ran out (the replica holding it died), on the server clock', async () => {
    const k = key();
    tokenOf(await replicaA.claim(k, 'fp', 100));
    expect(await replicaB.claim(k, 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await replicaB.claim(k, 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true });
  });

  it('hands the reading kept while writing to the replica that takes over from one that died', async () => {
    const k = key();
    const owner = tokenOf(await replicaA.claim(k, 'fp', 100));
    await replicaA.keepBefore(k, owner, []);
    await replicaA.keepBefore(k, 'not-the-owner', ['forged']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await replicaB.claim(k, 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true, before: [] });
  });

  it('stores namespaced, versioned keys with the TTL, holding no more than fingerprint, state and ref', async () => {
    const k = key();
    await replicaA.complete(k, tokenOf(await replicaA.claim(k, 'fp', LEASE)), REF);
    const { Redis } = await import('ioredis');
    const raw = new Redis(redis.url);
    try {
      const ttl = await raw.pttl(REDIS_KEY_PREFIX + k);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(JSON.parse((await raw.get(REDIS_KEY_PREFIX + k))!)).toEqual({ fp: 'fp', state: 'done', ref: JSON.stringify(REF) });
    } finally {
      raw.disconnect();
    }
  });

  it('reads a done record written in the previous link-ref shapes (m3ter orgId/mappingId, Rev.io clientCode/keyLinkId) as generic refs', async () => {
    const { Redis } = await import('ioredis');
    const raw = new Redis(redis.url);
    const legacy = [
      [{ vendor: 'm3ter', orgId: 'org-1', mappingId: 'abc' }, { vendor: 'm3ter', tenant: 'org-1', linkId: 'abc' }],
      [{ vendor: 'revio', clientCode: 'acmetel', keyLinkId: '34', deleted: true }, { vendor: 'revio', tenant: 'acmetel', linkId: '34', deleted: true }],
    ] as const;
    try {
      for (const [stored, read] of legacy) {
        const k = key();
        // As the version before wrote it: same key, the ref as JSON inside the record.
        await raw.set(REDIS_KEY_PREFIX + k, JSON.stringify({ fp: 'fp', state: 'done', ref: JSON.stringify(stored) }), 'PX', 60_000);
        expect(await replicaA.claim(k, 'fp', LEASE)).toEqual({ status: 'done', ref: read });
      }
      // And this version's shape reads back as written.
      const k = key();
      await replicaA.complete(k, tokenOf(await replicaA.claim(k, 'fp', LEASE)), REF);
      expect(await replicaB.claim(k, 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
    } finally {
      raw.disconnect();
    }
  });

  it('answers a garbled record (not JSON, or a ref that names nothing) with IDEMPOTENCY_RECORD_INVALID, not retryable and reported, never as a new claim', async () => {
    const { Redis } = await import('ioredis');
    const raw = new Redis(redis.url);
    const seen: string[] = [];
    const store = createRedisIdempotencyStore({ url: redis.url, ttlMs: 60_000, onInvalidRecord: (k, reason) => seen.push(`${k}: ${reason}`) });
    try {
      for (const garbled of ['{not json', JSON.stringify({ fp: 'fp', state: 'done', ref: '{"vendor":"revio"}' }), JSON.stringify({ state: 'done' })]) {
        const k = key();
        await raw.set(REDIS_KEY_PREFIX + k, garbled, 'PX', 60_000);
        const error = await store.claim(k, 'fp', LEASE).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(IdempotencyRecordInvalidError);
        expect((error as IdempotencyRecordInvalidError).details).toEqual({ retryable: false });
        // The record is left as it is for an operator to look at.
        expect(await raw.get(REDIS_KEY_PREFIX + k)).toBe(garbled);
      }
      expect(seen).toHaveLength(3);
    } finally {
      raw.disconnect();
      await store.close();
    }
  });

  it('refuses as retryable while Redis is away, and works again once it is back, without a new store', async () => {
    await redis.stop();
    const refused = await replicaA.claim(key(), 'fp', LEASE).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect(refused).toMatchObject({ code: 'IDEMPOTENCY_STORE_UNAVAILABLE', details: { retryable: true } });
    expect(await replicaA.ping()).toBe(false);
    await redis.start();
    let answered = false;
    for (let i = 0; i < 50 && !answered; i += 1) {
      answered = await replicaA.ping();
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered).toBe(true);
    expect(await replicaA.claim(key(), 'fp', LEASE)).toMatchObject({ status: 'claimed' });
  });
});
