/**
 * The default `IdempotencyStore`: records in an SQLite file (better-sqlite3), so a
 * `clientMutationId` replays its first write after the gateway restarts, is killed, or is
 * deployed anew on the same data directory. Each operation is one transaction on one row, so it
 * is atomic even between two processes sharing the file (SQLite's own locking); replicas on
 * several machines share Redis instead (redis-idempotency-store.ts).
 *
 * The file is in WAL mode with `synchronous = NORMAL`: a committed record survives the process
 * being killed at any point (it is in the log before the call returns); only a power loss may
 * lose the last moments, which a replay then settles by reading the vendor, as for an outcome
 * left unknown. Expired records are swept once a minute; above `maxEntries` a claim first drops
 * the oldest finished ones, and never a write in progress.
 *
 * A write in progress names the process that owns it (host, pid). A process killed mid-write
 * (SIGKILL, a crash, the drain cut short) leaves its record in progress with a lease that runs for
 * minutes; a claim on the same host finds that process gone and takes the write over at once,
 * reading the vendor first, instead of answering IDEMPOTENCY_IN_PROGRESS until the lease ends.
 * Another host's owner cannot be checked from here, so its lease is waited out.
 *
 * A record that does not read back (a garbled `ref`) is reported once per key and answered with
 * a clear, non-retryable error, never taken for "no record" (that would write again).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { IdempotencyInProgressError } from '../errors.js';
import type { Claim, IdempotencyStore } from './idempotency-store.js';
import { DEFAULT_IDEMPOTENCY_MAX_ENTRIES, DEFAULT_IDEMPOTENCY_TTL_MS } from './memory-idempotency-store.js';
import { readStoredRef } from './write-ref-from-stored.js';

export interface SqliteIdempotencyStoreOptions {
  /** The database file; its folder is made if missing. */
  file: string;
  /** Default 24 h, as the other stores. */
  ttlMs?: number;
  /** Default 100,000 records. */
  maxEntries?: number;
  /** For tests: the clock. */
  now?: () => number;
  /** A record that could not be read back, for the log and a metric. */
  onInvalidRecord?: (key: string, reason: string) => void;
}

export interface SqliteIdempotencyStore extends IdempotencyStore {
  readonly size: number;
  close(): void;
}

interface Row {
  owner: string | null;
  before: string | null;
  fingerprint: string;
  state: 'in-progress' | 'done' | 'unknown';
  expires_at: number;
  token: string | null;
  lease_until: number | null;
  ref: string | null;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * A kept reading of what existed before a create (ids), or `undefined` when none was kept or it
 * does not read: then the write adopts nothing it finds (src/lib/existed-before.ts), the safe side.
 */
function beforeOf(raw: string | null): readonly string[] | undefined {
  if (raw === null) return undefined;
  try {
    const ids: unknown = JSON.parse(raw);
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
  } catch {
    return undefined;
  }
}

/** This process, as a record's owner: `host/pid`. */
const self = `${hostname()}/${process.pid}`;

/** Whether the process owning a write is known to be gone: on this host, and no such pid lives. */
export function ownerGone(owner: string | null, alive: (pid: number) => boolean = isAlive): boolean {
  if (owner === null || owner === self) return false;
  const at = owner.lastIndexOf('/');
  const pid = Number(owner.slice(at + 1));
  if (owner.slice(0, at) !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  return !alive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, as another user's process.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export function createSqliteIdempotencyStore(options: SqliteIdempotencyStoreOptions): SqliteIdempotencyStore {
  const ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 5000;
    CREATE TABLE IF NOT EXISTS idempotency_v1 (
      key TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('in-progress', 'done', 'unknown')),
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      token TEXT,
      lease_until INTEGER,
      owner TEXT,
      before TEXT,
      ref TEXT
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS idempotency_v1_expires ON idempotency_v1 (expires_at);
  `);
  const sql = {
    get: db.prepare('SELECT owner, before, fingerprint, state, expires_at, token, lease_until, ref FROM idempotency_v1 WHERE key = ?'),
    insert: db.prepare("INSERT INTO idempotency_v1 (key, fingerprint, state, created_at, expires_at, token, lease_until, owner) VALUES (?, ?, 'in-progress', ?, ?, ?, ?, ?)"),
    takeOver: db.prepare("UPDATE idempotency_v1 SET state = 'in-progress', token = ?, lease_until = ?, owner = ? WHERE key = ?"),
    complete: db.prepare("UPDATE idempotency_v1 SET state = 'done', ref = ?, token = NULL, lease_until = NULL WHERE key = ? AND state = 'in-progress' AND token = ?"),
    keepBefore: db.prepare("UPDATE idempotency_v1 SET before = ? WHERE key = ? AND state = 'in-progress' AND token = ?"),
    markUnknown: db.prepare("UPDATE idempotency_v1 SET state = 'unknown', token = NULL, lease_until = NULL, before = coalesce(?, before) WHERE key = ? AND state = 'in-progress' AND token = ?"),
    release: db.prepare("DELETE FROM idempotency_v1 WHERE key = ? AND state = 'in-progress' AND token = ?"),
    expire: db.prepare('DELETE FROM idempotency_v1 WHERE key = ? AND expires_at <= ?'),
    sweep: db.prepare('DELETE FROM idempotency_v1 WHERE expires_at <= ?'),
    count: db.prepare('SELECT count(*) AS n FROM idempotency_v1'),
    dropFinished: db.prepare("DELETE FROM idempotency_v1 WHERE key IN (SELECT key FROM idempotency_v1 WHERE state != 'in-progress' ORDER BY created_at LIMIT ?)"),
  };
  const count = () => Number((sql.count.get() as { n: number }).n);
  let size = count();

  /** `work` in one write transaction: another process sharing the file waits for it. */
  const transaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  const makeRoom = (at: number): void => {
    if (size < maxEntries) return;
    sql.sweep.run(at);
    size = count();
    if (size >= maxEntries) sql.dropFinished.run(size - maxEntries + 1);
    size = count();
    if (size >= maxEntries) throw new IdempotencyInProgressError(`Too many writes with a clientMutationId are in progress (${maxEntries}); retry shortly`);
  };

  const sweeper = setInterval(() => {
    sql.sweep.run(now());
    size = count();
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  return {
    get size() {
      return size;
    },

    async claim(key, fingerprint, leaseMs) {
      return transaction((): Claim => {
        const at = now();
        sql.expire.run(key, at);
        const row = sql.get.get(key) as Row | undefined;
        if (row === undefined) {
          makeRoom(at);
          const token = randomUUID();
          sql.insert.run(key, fingerprint, at, at + ttlMs, token, at + leaseMs, self);
          size += 1;
          return { status: 'claimed', token, reconcile: false };
        }
        if (row.fingerprint !== fingerprint) return { status: 'reused' };
        if (row.state === 'done') return { status: 'done', ref: readStoredRef(key, row.ref, options.onInvalidRecord) };
        if (row.state === 'in-progress' && (row.lease_until ?? 0) > at && !ownerGone(row.owner)) return { status: 'in-progress' };
        // Unknown outcome, a lease that ran out or an owner gone: take it over, read first.
        const token = randomUUID();
        sql.takeOver.run(token, at + leaseMs, self, key);
        const before = beforeOf(row.before);
        return { status: 'claimed', token, reconcile: true, ...(before === undefined ? {} : { before }) };
      });
    },

    async complete(key, token, ref) {
      sql.complete.run(JSON.stringify(ref), key, token);
    },

    async keepBefore(key, token, before) {
      sql.keepBefore.run(JSON.stringify(before), key, token);
    },

    async markUnknown(key, token, before) {
      sql.markUnknown.run(before === undefined ? null : JSON.stringify(before), key, token);
    },

    async release(key, token) {
      if (Number(sql.release.run(key, token).changes) > 0) size -= 1;
    },

    close() {
      clearInterval(sweeper);
      if (db.open) db.close();
    },
  };
}
