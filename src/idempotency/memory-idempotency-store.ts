/**
 * The in-memory `IdempotencyStore`: one process, lost on restart (Zuora's own Idempotency-Key
 * still guards its POST then; m3ter and Rev.io writes are reconciled by reading). Records live
 * `ttlMs` from their first claim. Above `maxEntries`, a new claim first drops expired records,
 * then the oldest ones not in progress (done, or outcome unknown); a record in progress is never
 * dropped, so when every slot is a write in progress the new claim is refused as retryable.
 */
import { randomUUID } from 'node:crypto';
import { IdempotencyInProgressError } from '../errors.js';
import type { Claim, IdempotencyStore, WriteRef } from './idempotency-store.js';

export interface MemoryIdempotencyStoreOptions {
  /** Default 24 h: as long as Zuora keeps an Idempotency-Key. */
  ttlMs?: number;
  /** Default 100,000 records (a few tens of MB at most). */
  maxEntries?: number;
  /** For tests: the clock. */
  now?: () => number;
}

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_MAX_ENTRIES = 100_000;

interface StoredRecord {
  fingerprint: string;
  state: 'in-progress' | 'done' | 'unknown';
  expiresAt: number;
  /** In progress: the owner's token and when its lease runs out. */
  token?: string;
  leaseUntil?: number;
  ref?: WriteRef;
  /** A create's ids from before its first attempt. */
  before?: readonly string[];
}

export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore & { readonly size: number } {
  const ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  // Insertion order is claim order, so the first finished record found is the oldest.
  const records = new Map<string, StoredRecord>();

  const live = (key: string, at: number): StoredRecord | undefined => {
    const record = records.get(key);
    if (record === undefined || record.expiresAt > at) return record;
    records.delete(key);
    return undefined;
  };

  const makeRoom = (at: number): void => {
    if (records.size < maxEntries) return;
    for (const [key, record] of records) if (record.expiresAt <= at) records.delete(key);
    for (const [key, record] of records) {
      if (records.size < maxEntries) return;
      if (record.state !== 'in-progress') records.delete(key);
    }
    if (records.size >= maxEntries) throw new IdempotencyInProgressError(`Too many writes with a clientMutationId are in progress (${maxEntries}); retry shortly`);
  };

  /** The record if `token` still holds its lease. */
  const owned = (key: string, token: string): StoredRecord | undefined => {
    const record = live(key, now());
    return record?.state === 'in-progress' && record.token === token ? record : undefined;
  };

  return {
    get size() {
      return records.size;
    },

    async claim(key, fingerprint, leaseMs) {
      const at = now();
      const record = live(key, at);
      if (record === undefined) {
        makeRoom(at);
        const token = randomUUID();
        records.set(key, { fingerprint, state: 'in-progress', expiresAt: at + ttlMs, token, leaseUntil: at + leaseMs });
        return { status: 'claimed', token, reconcile: false } satisfies Claim;
      }
      if (record.fingerprint !== fingerprint) return { status: 'reused' };
      if (record.state === 'done' && record.ref !== undefined) return { status: 'done', ref: record.ref };
      if (record.state === 'in-progress' && (record.leaseUntil ?? 0) > at) return { status: 'in-progress' };
      // Unknown outcome, or a lease that ran out (its owner died or stalled): take it over, read first.
      const token = randomUUID();
      Object.assign(record, { state: 'in-progress', token, leaseUntil: at + leaseMs });
      return { status: 'claimed', token, reconcile: true, ...(record.before === undefined ? {} : { before: record.before }) };
    },

    async keepBefore(key, token, before) {
      const record = owned(key, token);
      if (record !== undefined) record.before = [...before];
    },

    async complete(key, token, ref) {
      const record = owned(key, token);
      if (record !== undefined) Object.assign(record, { state: 'done', ref, token: undefined, leaseUntil: undefined });
    },

    async markUnknown(key, token, before) {
      const record = owned(key, token);
      if (record !== undefined) Object.assign(record, { state: 'unknown', token: undefined, leaseUntil: undefined, ...(before === undefined ? {} : { before: [...before] }) });
    },

    async release(key, token) {
      if (owned(key, token) !== undefined) records.delete(key);
    },
  };
}
