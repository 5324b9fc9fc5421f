import { describe, expect, it } from 'vitest';
import { IdempotencyInProgressError } from '../../../src/errors.js';
import { clock, LEASE, REF, tokenOf } from '../../helpers/idempotency-claims.js';
import { createMemoryIdempotencyStore } from '../../../src/idempotency/memory-idempotency-store.js';


describe('memory idempotency store: one record per key', () => {
  it('claims a new key, reports it in progress to a second claim, and done with its ref once completed', async () => {
    const store = createMemoryIdempotencyStore();
    const first = await store.claim('k', 'fp', LEASE);
    expect(first).toMatchObject({ status: 'claimed', reconcile: false });
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await store.complete('k', tokenOf(first), REF);
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
  });

  it('reports a different fingerprint as reused, whatever the record state', async () => {
    const store = createMemoryIdempotencyStore();
    const first = await store.claim('k', 'fp', LEASE);
    expect(await store.claim('k', 'other', LEASE)).toEqual({ status: 'reused' });
    await store.complete('k', tokenOf(first), REF);
    expect(await store.claim('k', 'other', LEASE)).toEqual({ status: 'reused' });
  });

  it('frees a released key: the next claim writes afresh', async () => {
    const store = createMemoryIdempotencyStore();
    await store.release('k', tokenOf(await store.claim('k', 'fp', LEASE)));
    expect(store.size).toBe(0);
    expect(await store.claim('k', 'another input', LEASE)).toMatchObject({ status: 'claimed', reconcile: false });
  });

  it("keeps a create's reading from before its first attempt for the claim that reconciles, even an empty one", async () => {
    const store = createMemoryIdempotencyStore();
    await store.markUnknown('k', tokenOf(await store.claim('k', 'fp', LEASE)), ['7', '9']);
    const takeover = await store.claim('k', 'fp', LEASE);
    expect(takeover).toMatchObject({ status: 'claimed', reconcile: true, before: ['7', '9'] });
    await store.markUnknown('e', tokenOf(await store.claim('e', 'fp', LEASE)), []);
    expect(await store.claim('e', 'fp', LEASE)).toMatchObject({ before: [] });
    // A record whose owner died mid-write kept none: the claim says so, and nothing is proved.
    await store.markUnknown('n', tokenOf(await store.claim('n', 'fp', LEASE)));
    expect(await store.claim('n', 'fp', LEASE)).not.toHaveProperty('before');
  });

  it("hands the reading kept while writing to a claim that takes over from an owner that died", async () => {
    const time = clock();
    const store = createMemoryIdempotencyStore({ now: time.now });
    const owner = tokenOf(await store.claim('k', 'fp', LEASE));
    await store.keepBefore('k', owner, ['seeded']);
    await store.keepBefore('k', 'not-the-owner', ['forged']);
    time.advance(LEASE + 1);
    expect(await store.claim('k', 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true, before: ['seeded'] });
  });

  it('hands an unknown outcome to the next claim with reconcile set', async () => {
    const store = createMemoryIdempotencyStore();
    await store.markUnknown('k', tokenOf(await store.claim('k', 'fp', LEASE)));
    expect(await store.claim('k', 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true });
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'in-progress' });
  });

  it('lets a claim take over an expired lease (reconcile first) and ignores the old owner afterwards', async () => {
    const time = clock();
    const store = createMemoryIdempotencyStore({ now: time.now });
    const stale = tokenOf(await store.claim('k', 'fp', LEASE));
    time.advance(LEASE + 1);
    const takeover = await store.claim('k', 'fp', LEASE);
    expect(takeover).toMatchObject({ status: 'claimed', reconcile: true });
    await store.complete('k', stale, { ...REF, linkId: '99' });
    await store.release('k', stale);
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await store.complete('k', tokenOf(takeover), REF);
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
  });

  it('forgets a record after its TTL', async () => {
    const time = clock();
    const store = createMemoryIdempotencyStore({ ttlMs: 60_000, now: time.now });
    await store.complete('k', tokenOf(await store.claim('k', 'fp', LEASE)), REF);
    time.advance(59_999);
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
    time.advance(1);
    expect(await store.claim('k', 'other', LEASE)).toMatchObject({ status: 'claimed', reconcile: false });
  });
});

describe('memory idempotency store: bounded size', () => {
  it('evicts the oldest finished records first and never one in progress', async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 3 });
    const running = tokenOf(await store.claim('running', 'fp', LEASE));
    await store.complete('old', tokenOf(await store.claim('old', 'fp', LEASE)), REF);
    await store.complete('newer', tokenOf(await store.claim('newer', 'fp', LEASE)), REF);
    await store.claim('newest', 'fp', LEASE);
    expect(store.size).toBe(3);
    expect(await store.claim('old', 'other', LEASE)).toMatchObject({ status: 'claimed' });
    expect(await store.claim('running', 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await store.complete('running', running, REF);
    expect(await store.claim('running', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
  });

  it('refuses a new claim as retryable when every slot is a write in progress', async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 2 });
    await store.claim('a', 'fp', LEASE);
    await store.claim('b', 'fp', LEASE);
    await expect(store.claim('c', 'fp', LEASE)).rejects.toBeInstanceOf(IdempotencyInProgressError);
    expect(await store.claim('a', 'fp', LEASE)).toEqual({ status: 'in-progress' });
  });
});
