import { describe, expect, it } from 'vitest';
import { BadUserInputError, IdempotencyInProgressError, IdempotencyKeyReusedError, UpstreamRejectedError, UpstreamTimeoutError } from '../../../src/errors.js';
import type { WriteRef } from '../../../src/idempotency/idempotency-store.js';
import { createMemoryIdempotencyStore } from '../../../src/idempotency/memory-idempotency-store.js';
import { claimWrite, LEASE_MS, writeOnce, type OnceKey, type WriteOnceSteps } from '../../../src/idempotency/write-once.js';

const REF: WriteRef = { vendor: 'm3ter', tenant: 'org', linkId: 'm-1' };

/** Steps that count calls; `write` runs `effect` (default: succeed with REF). */
function steps(once: OnceKey | undefined, effect: () => Promise<WriteRef> = async () => REF, found?: WriteRef) {
  const calls = { write: 0, reconcile: 0, readBack: 0 };
  const value: WriteOnceSteps<string> = {
    once,
    reconcile: async () => {
      calls.reconcile += 1;
      return found;
    },
    write: async () => {
      calls.write += 1;
      return { ref: await effect() };
    },
    readBack: async (ref) => {
      calls.readBack += 1;
      return `read ${ref.vendor === 'm3ter' ? ref.linkId : '?'}`;
    },
  };
  return { value, calls };
}

const keyOf = (store = createMemoryIdempotencyStore(), fingerprint = 'fp'): OnceKey => ({ store, key: 'k', fingerprint, operation: 'createExternalLink' });

describe('writeOnce', () => {
  it('writes once and answers every replay by reading back', async () => {
    const once = keyOf();
    const { value, calls } = steps(once);
    expect(await writeOnce(value)).toBe('read m-1');
    expect(await writeOnce(value)).toBe('read m-1');
    expect(calls).toEqual({ write: 1, reconcile: 0, readBack: 2 });
  });

  it('without a key, just writes, every time', async () => {
    const { value, calls } = steps(undefined);
    await writeOnce(value);
    await writeOnce(value);
    expect(calls.write).toBe(2);
  });

  it('refuses the same key with another input', async () => {
    const store = createMemoryIdempotencyStore();
    await writeOnce(steps(keyOf(store)).value);
    const other = steps(keyOf(store, 'other'));
    await expect(writeOnce(other.value)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(other.calls.write).toBe(0);
  });

  it('makes a duplicate wait for the first and answer like it', async () => {
    const store = createMemoryIdempotencyStore();
    let finish!: () => void;
    const slow = steps(keyOf(store), () => new Promise<WriteRef>((resolve) => (finish = () => resolve(REF))));
    const first = writeOnce(slow.value);
    const duplicate = steps(keyOf(store));
    const second = writeOnce(duplicate.value);
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    expect(await Promise.all([first, second])).toEqual(['read m-1', 'read m-1']);
    expect(slow.calls.write + duplicate.calls.write).toBe(1);
  });

  it('gives a duplicate IDEMPOTENCY_IN_PROGRESS when the first outlasts the wait', async () => {
    const store = createMemoryIdempotencyStore();
    void writeOnce(steps(keyOf(store), () => new Promise<WriteRef>(() => {})).value);
    await expect(writeOnce(steps(keyOf(store)).value, { waitMs: 60 })).rejects.toBeInstanceOf(IdempotencyInProgressError);
  });

  it('frees the key after a refusal, so the retry writes', async () => {
    const store = createMemoryIdempotencyStore();
    const refused = steps(keyOf(store), async () => {
      throw new UpstreamRejectedError({ vendor: 'm3ter', operation: 'createMapping', status: 400, retryable: false });
    });
    await expect(writeOnce(refused.value)).rejects.toBeInstanceOf(UpstreamRejectedError);
    const retry = steps(keyOf(store));
    expect(await writeOnce(retry.value)).toBe('read m-1');
    expect(retry.calls).toMatchObject({ write: 1, reconcile: 0 });
  });

  it('frees the key after the gateway\'s own refusal', async () => {
    const store = createMemoryIdempotencyStore();
    await expect(writeOnce(steps(keyOf(store), async () => Promise.reject(new BadUserInputError('no'))).value)).rejects.toThrow('no');
    expect(store.size).toBe(0);
  });

  it('keeps an unknown outcome, and the next attempt reconciles before writing', async () => {
    const store = createMemoryIdempotencyStore();
    const hung = steps(keyOf(store), async () => {
      throw new UpstreamTimeoutError({ vendor: 'revio', operation: 'createKeyLink', retryable: true });
    });
    await expect(writeOnce(hung.value)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    const found = steps(keyOf(store), undefined, REF);
    expect(await writeOnce(found.value)).toBe('read m-1');
    expect(found.calls).toEqual({ write: 0, reconcile: 1, readBack: 1 });
  });

  it('writes after reconciling when the vendor shows no earlier effect', async () => {
    const store = createMemoryIdempotencyStore();
    await expect(writeOnce(steps(keyOf(store), async () => Promise.reject(new UpstreamTimeoutError({ vendor: 'revio', operation: 'x', retryable: true }))).value)).rejects.toThrow();
    const nothing = steps(keyOf(store));
    await writeOnce(nothing.value);
    expect(nothing.calls).toMatchObject({ reconcile: 1, write: 1 });
  });
});

describe('claimWrite: a create adopts only what was absent before its first attempt', () => {
  /** A create whose vendor holds `stored` ids; `write` fails with `failure` or adds `next`. */
  function create(once: OnceKey | undefined, stored: string[], write: () => Promise<string>) {
    const seen: { before: (readonly string[] | undefined)[] } = { before: [] };
    const value: WriteOnceSteps<string> = {
      once,
      existing: async () => [...stored],
      reconcile: async (before) => {
        seen.before.push(before.ids);
        const id = before.adopt([...stored].reverse());
        return id === undefined ? undefined : { ...REF, linkId: id };
      },
      write: async (before) => {
        seen.before.push(before.ids);
        const id = await write();
        stored.push(id);
        return { ref: { ...REF, linkId: id } };
      },
      readBack: async (ref) => (ref.vendor === 'zuora' ? '?' : ref.linkId),
    };
    return { value, seen };
  }

  it('keeps the first attempt\'s reading for the replay, which never adopts a link that was there before', async () => {
    const store = createMemoryIdempotencyStore();
    const stored = ['seeded'];
    // The first attempt's outcome is unknown and nothing landed.
    const first = create(keyOf(store), stored, async () => Promise.reject(new UpstreamTimeoutError({ vendor: 'm3ter', operation: 'createMapping', retryable: true })));
    await expect(writeOnce(first.value)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(first.seen.before).toEqual([['seeded']]);
    // The replay reads 'seeded' again: not its own, so it writes.
    const replay = create(keyOf(store), stored, async () => 'ours');
    expect(await writeOnce(replay.value)).toBe('ours');
    expect(replay.seen.before).toEqual([['seeded'], ['seeded']]);
  });

  it('adopts on replay a link that appeared after the first attempt began (the lost answer)', async () => {
    const store = createMemoryIdempotencyStore();
    const stored = ['seeded'];
    const first = create(keyOf(store), stored, async () => {
      stored.push('landed');
      throw new UpstreamTimeoutError({ vendor: 'm3ter', operation: 'createMapping', retryable: true });
    });
    await expect(writeOnce(first.value)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    let writes = 0;
    const replay = create(keyOf(store), stored, async () => `again-${(writes += 1)}`);
    expect(await writeOnce(replay.value)).toBe('landed');
    expect(writes).toBe(0);
  });

  it('a claim that takes over from an owner that died mid-write adopts what it landed, never what was there before', async () => {
    let now = 1_000_000;
    const store = createMemoryIdempotencyStore({ now: () => now });
    const stored = ['seeded'];
    // The owner reads, posts (it lands), and dies before settling the record.
    const owner = await store.claim('k', 'fp', 1000);
    if (owner.status !== 'claimed') throw new Error('expected a claim');
    const dying = create(keyOf(store), stored, async () => 'unused');
    await store.keepBefore('k', owner.token, await dying.value.existing!());
    stored.push('landed');
    now += 1001;
    let writes = 0;
    const next = create(keyOf(store), stored, async () => `again-${(writes += 1)}`);
    expect(await writeOnce(next.value)).toBe('landed');
    expect(writes).toBe(0);
  });

  it('keeps its reading on the record before writing, so a takeover has it', async () => {
    let now = 1_000_000;
    const store = createMemoryIdempotencyStore({ now: () => now });
    let release!: () => void;
    const hung = create(keyOf(store), ['seeded'], () => new Promise<string>((resolve) => (release = () => resolve('late'))));
    const first = writeOnce(hung.value);
    await new Promise((resolve) => setTimeout(resolve, 10));
    now += LEASE_MS + 1;
    expect(await store.claim('k', 'fp', 1000)).toMatchObject({ status: 'claimed', reconcile: true, before: ['seeded'] });
    release();
    await first;
  });

  it('gives an unrun claim back as it was: a new record is freed, a taken-over one stays unknown with its reading', async () => {
    const store = createMemoryIdempotencyStore();
    const fresh = await claimWrite(create(keyOf(store), [], async () => 'x').value);
    await fresh.abandon();
    expect(await store.claim('k', 'fp', 1000)).toMatchObject({ status: 'claimed', reconcile: false });

    const other = createMemoryIdempotencyStore();
    const token = await other.claim('k', 'fp', 1000);
    if (token.status !== 'claimed') throw new Error('expected a claim');
    await other.markUnknown('k', token.token, ['seeded']);
    const takenOver = await claimWrite(create(keyOf(other), ['seeded'], async () => 'x').value);
    await takenOver.abandon();
    expect(await other.claim('k', 'fp', 1000)).toMatchObject({ status: 'claimed', reconcile: true, before: ['seeded'] });
    // Run after abandon is a bug, not a second chance.
    expect(() => takenOver.run()).toThrow(/runs once and only while claimed/);
  });

  it('frees the key when the reading before the first attempt fails: nothing was written', async () => {
    const store = createMemoryIdempotencyStore();
    const value: WriteOnceSteps<string> = {
      once: keyOf(store),
      existing: async () => Promise.reject(new UpstreamTimeoutError({ vendor: 'revio', operation: 'searchKeyLinks', retryable: true })),
      reconcile: async () => undefined,
      write: async () => ({ ref: REF }),
      readBack: async () => 'read',
    };
    await expect(writeOnce(value)).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(await store.claim('k', 'fp', 1000)).toMatchObject({ status: 'claimed', reconcile: false });
  });
});
