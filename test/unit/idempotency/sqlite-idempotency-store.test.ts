import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyInProgressError, IdempotencyRecordInvalidError } from '../../../src/errors.js';
import { clock, LEASE, REF, tokenOf } from '../../helpers/idempotency-claims.js';
import { createSqliteIdempotencyStore, ownerGone, type SqliteIdempotencyStore } from '../../../src/idempotency/sqlite-idempotency-store.js';


const dirs: string[] = [];
const opened: SqliteIdempotencyStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'interlink-sqlite-test-'));
  dirs.push(dir);
  return join(dir, 'nested', 'idempotency.sqlite');
}

function open(file: string, options: Partial<Parameters<typeof createSqliteIdempotencyStore>[0]> = {}): SqliteIdempotencyStore {
  const store = createSqliteIdempotencyStore({ file, ...options });
  opened.push(store);
  return store;
}

describe('sqlite idempotency store', () => {
  it('claims a new key, reports it in progress to a second claim, and done with its ref once completed', async () => {
    const store = open(fileIn());
    const first = await store.claim('k', 'fp', LEASE);
    expect(first).toMatchObject({ status: 'claimed', reconcile: false });
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await store.complete('k', tokenOf(first), REF);
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
    expect(await store.claim('k', 'other', LEASE)).toEqual({ status: 'reused' });
  });

  it('keeps every record across a close and a reopen of the file: a restart replays, never writes again', async () => {
    const file = fileIn();
    const before = open(file);
    await before.complete('done', tokenOf(await before.claim('done', 'fp', LEASE)), REF);
    const unknown = await before.claim('unknown', 'fp', LEASE);
    await before.markUnknown('unknown', tokenOf(unknown));
    await before.claim('running', 'fp', 60_000);
    before.close();

    const after = open(file);
    expect(after.size).toBe(3);
    expect(await after.claim('done', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
    expect(await after.claim('done', 'changed', LEASE)).toEqual({ status: 'reused' });
    // An unknown outcome is taken over and read first; a live lease still blocks.
    expect(await after.claim('unknown', 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true });
    expect(await after.claim('running', 'fp', LEASE)).toEqual({ status: 'in-progress' });
  });

  it('is one store for two processes on the same file: a claim made through one is seen by the other', async () => {
    const file = fileIn();
    const a = open(file);
    const b = open(file);
    const claim = await a.claim('k', 'fp', LEASE);
    expect(await b.claim('k', 'fp', LEASE)).toEqual({ status: 'in-progress' });
    await a.complete('k', tokenOf(claim), REF);
    expect(await b.claim('k', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
  });

  it('takes over a lease that ran out, with reconcile, and ignores the old owner afterwards', async () => {
    const time = clock();
    const store = open(fileIn(), { now: time.now });
    const first = await store.claim('k', 'fp', LEASE);
    time.advance(LEASE + 1);
    const second = await store.claim('k', 'fp', LEASE);
    expect(second).toMatchObject({ status: 'claimed', reconcile: true });
    await store.complete('k', tokenOf(first), { ...REF, linkId: 'stale' });
    await store.complete('k', tokenOf(second), REF);
    expect(await store.claim('k', 'fp', LEASE)).toEqual({ status: 'done', ref: REF });
  });

  it('frees a released key, and forgets a record once it expires', async () => {
    const time = clock();
    const store = open(fileIn(), { now: time.now, ttlMs: 10_000 });
    await store.release('k', tokenOf(await store.claim('k', 'fp', LEASE)));
    expect(store.size).toBe(0);
    await store.complete('k', tokenOf(await store.claim('k', 'fp', LEASE)), REF);
    time.advance(10_001);
    expect(await store.claim('k', 'other', LEASE)).toMatchObject({ status: 'claimed', reconcile: false });
  });

  it('drops the oldest finished records above maxEntries, never one in progress', async () => {
    const store = open(fileIn(), { maxEntries: 2 });
    await store.complete('a', tokenOf(await store.claim('a', 'fp', LEASE)), REF);
    await store.claim('b', 'fp', 60_000);
    // Room for c: the finished a goes.
    await store.claim('c', 'fp', 60_000);
    expect(store.size).toBe(2);
    // No room for d: b and c are writes in progress.
    await expect(store.claim('d', 'fp', LEASE)).rejects.toBeInstanceOf(IdempotencyInProgressError);
    expect(await store.claim('b', 'fp', LEASE)).toEqual({ status: 'in-progress' });
  });

  it('answers a garbled record with IDEMPOTENCY_RECORD_INVALID (not retryable) and reports it, every time, never as a new claim', async () => {
    const file = fileIn();
    const store = open(file, { onInvalidRecord: (key, reason) => seen.push(`${key}: ${reason}`) });
    const seen: string[] = [];
    await store.complete('k', tokenOf(await store.claim('k', 'fp', LEASE)), REF);
    const raw = new Database(file);
    raw.prepare("UPDATE idempotency_v1 SET ref = '{not json' WHERE key = 'k'").run();
    raw.close();
    for (let i = 0; i < 2; i += 1) {
      const error = await store.claim('k', 'fp', LEASE).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyRecordInvalidError);
      expect((error as IdempotencyRecordInvalidError).details).toEqual({ retryable: false });
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^k: /);
  });
});

describe('sqlite idempotency store: a write whose process is gone', () => {
  it('takes over at once, with reconcile, a write in progress whose owner on this host no longer runs', async () => {
    const file = fileIn();
    const store = open(file);
    await store.claim('k', 'fp', 600_000);
    // As a process killed mid-write left it: the same record, owned by a pid that does not run.
    const raw = new Database(file);
    raw.prepare("UPDATE idempotency_v1 SET owner = ? WHERE key = 'k'").run(`${hostname()}/999999999`);
    raw.prepare("INSERT INTO idempotency_v1 (key, fingerprint, state, created_at, expires_at, token, lease_until, owner) VALUES ('elsewhere', 'fp', 'in-progress', 0, 9e15, 't', 9e15, 'another-host/1')").run();
    raw.close();
    expect(await store.claim('k', 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true });
    // Another host's owner cannot be checked: its lease is waited out.
    expect(await store.claim('elsewhere', 'fp', LEASE)).toEqual({ status: 'in-progress' });
  });

  it('judges an owner by host and pid', () => {
    expect(ownerGone(null)).toBe(false);
    expect(ownerGone(`${hostname()}/${process.pid}`)).toBe(false);
    expect(ownerGone(`${hostname()}/12345`, () => false)).toBe(true);
    expect(ownerGone(`${hostname()}/12345`, () => true)).toBe(false);
    expect(ownerGone('other-host/12345', () => false)).toBe(false);
    expect(ownerGone(`${hostname()}/not-a-pid`, () => false)).toBe(false);
  });
});

describe("sqlite idempotency store: a create's reading from before", () => {
  it('keeps it for the claim that takes the record over, across a reopen, and only for the lease holder', async () => {
    const time = clock();
    const file = fileIn();
    const store = open(file, { now: time.now });
    const first = tokenOf(await store.claim('k', 'fp', LEASE));
    await store.keepBefore('k', 'not-the-holder', ['x']);
    await store.keepBefore('k', first, ['m1', 'm2']);
    store.close();
    time.advance(LEASE + 1);
    const reopened = open(file, { now: time.now });
    const second = await reopened.claim('k', 'fp', LEASE);
    expect(second).toMatchObject({ status: 'claimed', reconcile: true, before: ['m1', 'm2'] });
    await reopened.markUnknown('k', tokenOf(second), ['m1', 'm2', 'm3']);
    expect(await reopened.claim('k', 'fp', LEASE)).toMatchObject({ status: 'claimed', reconcile: true, before: ['m1', 'm2', 'm3'] });
  });

  it('answers no reading when none was kept', async () => {
    const store = open(fileIn());
    await store.markUnknown('k', tokenOf(await store.claim('k', 'fp', LEASE)));
    const claim = await store.claim('k', 'fp', LEASE);
    expect(claim).toMatchObject({ status: 'claimed', reconcile: true });
    expect('before' in claim).toBe(false);
  });
});
