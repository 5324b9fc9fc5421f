/**
 * The shared parts on a real Redis, three `SharedState`s standing for three replicas: sealed
 * tokens, one token fetch under the lock, a refused token dropped only while still stored, the
 * concurrency cap held across replicas, cache entries, and the local share while Redis is away.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedState, type SharedState } from '../../../src/shared-state/shared-state.js';
import { localShare } from '../../../src/shared-state/shared-budget.js';
import { createTokenCipher } from '../../../src/shared-state/token-cipher.js';
import { tokenKey } from '../../../src/shared-state/shared-state-settings.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const KEY = '0f'.repeat(32);

describe('token cipher', () => {
  it('opens what it sealed for the same slot only, and not under another key', () => {
    const cipher = createTokenCipher(KEY);
    const sealed = cipher.seal('token-value', 'slot-a');
    expect(sealed).not.toContain('token-value');
    expect(cipher.open(sealed, 'slot-a')).toBe('token-value');
    expect(cipher.open(sealed, 'slot-b')).toBeUndefined();
    expect(createTokenCipher('1e'.repeat(32)).open(sealed, 'slot-a')).toBeUndefined();
    expect(cipher.seal('token-value', 'slot-a')).not.toBe(sealed);
    expect(cipher.fingerprint('token-value')).toBe(cipher.fingerprint('token-value'));
    expect(cipher.fingerprint('token-value')).not.toContain('token');
  });

  it('takes a 32-byte key as hex or base64 and refuses anything else', () => {
    expect(tokenKey.parse('AB'.repeat(32))).toBe('ab'.repeat(32));
    expect(tokenKey.parse(Buffer.alloc(32, 7).toString('base64'))).toBe('07'.repeat(32));
    expect(tokenKey.parse('ab'.repeat(16))).toBeUndefined();
    expect(tokenKey.parse('not a key')).toBeUndefined();
    expect(tokenKey.secret).toBe(true);
  });
});

describe('localShare', () => {
  it('divides the rate exactly and the concurrency down, keeping at least one call', () => {
    expect(localShare({ concurrency: 20, ratePerSecond: 40 }, 3)).toEqual({ concurrency: 6, ratePerSecond: 40 / 3 });
    expect(localShare({ concurrency: 2 }, 3)).toEqual({ concurrency: 1 });
    expect(localShare({ concurrency: 8, ratePerSecond: 8 }, 1)).toEqual({ concurrency: 8, ratePerSecond: 8 });
  });
});

describe('shared state on Redis', () => {
  let redis: TestRedis;
  let replicas: SharedState[];
  beforeAll(async () => {
    redis = await startRedis();
    replicas = Array.from({ length: 3 }, () => createSharedState({ redisUrl: redis.url, replicas: 3, tokenKey: KEY }));
    expect(await Promise.all(replicas.map((replica) => replica.connected(5_000)))).toEqual([true, true, true]);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await redis?.stop();
  });

  it('fetches a token once for replicas asking at the same moment; the others wait and read it', async () => {
    let fetches = 0;
    const fetch = async () => {
      fetches += 1;
      await sleep(50);
      return { value: `token-${fetches}`, freshForMs: 60_000 };
    };
    const got = await Promise.all(replicas.map((replica) => replica.tokens('zuora', 'client-1')!.obtain(fetch)));
    expect(fetches).toBe(1);
    expect(got.map((token) => token.value)).toEqual(['token-1', 'token-1', 'token-1']);
    expect(got.every((token) => token.freshForMs > 0 && token.freshForMs <= 60_000)).toBe(true);
  });

  it('drops a refused token only while it is still the stored one', async () => {
    let fetches = 0;
    const fetch = async () => ({ value: `fresh-${(fetches += 1)}`, freshForMs: 60_000 });
    const [a, b] = [replicas[0]!.tokens('m3ter', 'key-2')!, replicas[1]!.tokens('m3ter', 'key-2')!];
    expect((await a.obtain(fetch)).value).toBe('fresh-1');
    await a.invalidate('some-older-token');
    expect((await b.obtain(fetch)).value).toBe('fresh-1');
    await a.invalidate('fresh-1');
    await b.invalidate('fresh-1');
    expect((await b.obtain(fetch)).value).toBe('fresh-2');
    expect((await a.obtain(fetch)).value).toBe('fresh-2');
    expect(fetches).toBe(2);
  });

  it('holds a concurrency cap across replicas and gives every slot back', async () => {
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(20);
      running -= 1;
    };
    const budgets = replicas.map((replica) => replica.budgets('zuora', { concurrency: 4 })('entity-1'));
    await Promise.all(Array.from({ length: 30 }, (_, i) => budgets[i % 3]!.run(task)));
    expect(peak).toBe(4);
  });

  it('shares a cached list with its age, and reads an entry that does not decode as a miss', async () => {
    const decode = (value: unknown) => (Array.isArray(value) ? (value as string[]) : undefined);
    const [writer, reader] = [replicas[0]!.entry('names', 'org-1', { ttlMs: 60_000, decode }), replicas[1]!.entry('names', 'org-1', { ttlMs: 60_000, decode })];
    expect(await reader.read()).toBeUndefined();
    await writer.write(['Salesforce']);
    const read = await reader.read();
    expect(read?.value).toEqual(['Salesforce']);
    expect(read?.ageMs).toBeGreaterThanOrEqual(0);
    await replicas[2]!.entry('names', 'org-1', { ttlMs: 60_000, decode: () => 'anything' }).write('not a list' as never);
    expect(await reader.read()).toBeUndefined();
  });

  it('goes on locally while Redis is away (a token of its own, the local share) and back to sharing once it answers', async () => {
    const budget = replicas[0]!.budgets('revio', { concurrency: 3, ratePerSecond: 30 })('acmetel');
    await redis.stop();
    try {
      await expect(budget.run(async () => 'ran')).resolves.toBe('ran');
      expect(budget.shared).toBe(false);
      let fetches = 0;
      const token = await replicas[0]!.tokens('zuora', 'client-away')!.obtain(async () => ({ value: `own-${(fetches += 1)}`, freshForMs: 1_000 }));
      expect(token.value).toBe('own-1');
      expect(await replicas[0]!.ping()).toBe(false);
    } finally {
      await redis.start();
    }
    let back = false;
    for (let i = 0; i < 60 && !back; i += 1) {
      back = replicas[0]!.available();
      if (!back) await sleep(100);
    }
    expect(back).toBe(true);
    expect(await replicas[0]!.ping()).toBe(true);
  });
});
