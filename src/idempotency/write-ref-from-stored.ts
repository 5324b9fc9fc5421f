/**
 * A stored record's `ref` as this version reads it. Records live up to a day (in Redis, across an
 * upgrade), so a record written by the version before link refs were generic still holds an m3ter
 * or Rev.io ref in its vendor's own field names; it is read as the generic `LinkWriteRef`. The
 * key (`interlink:v1:`) is unchanged: both shapes name the same link, so a replay after the
 * upgrade still finds the first write. These two cases can go a day after every replica runs this
 * version.
 */
import { IdempotencyRecordInvalidError } from '../errors.js';
import type { WriteRef } from './idempotency-store.js';

/** The link refs as the previous version wrote them. */
type LegacyLinkRef =
  | { vendor: 'm3ter'; orgId: string; mappingId: string; deleted?: true }
  | { vendor: 'revio'; clientCode: string; keyLinkId: string; deleted?: true };

/** What a record's `ref` may hold: this version's shape or the previous one's. */
export type StoredWriteRef = WriteRef | LegacyLinkRef;

export function writeRefFromStored(stored: StoredWriteRef): WriteRef {
  if ('orgId' in stored) return withDeleted({ vendor: 'm3ter', tenant: stored.orgId, linkId: stored.mappingId }, stored.deleted);
  if ('clientCode' in stored) return withDeleted({ vendor: 'revio', tenant: stored.clientCode, linkId: stored.keyLinkId }, stored.deleted);
  return stored;
}

const withDeleted = <T extends object>(ref: T, deleted: true | undefined): T | (T & { deleted: true }) => (deleted ? { ...ref, deleted } : ref);

/**
 * A stored `ref` (JSON text) read back, or IDEMPOTENCY_RECORD_INVALID when it does not read: a
 * garbled record is neither "no record" (the write would run again) nor "done" (with what?).
 * `onInvalid` hears the key and why, for the log line and the metric.
 */
export function readStoredRef(key: string, raw: string | null | undefined, onInvalid?: (key: string, reason: string) => void): WriteRef {
  try {
    if (typeof raw !== 'string') throw new Error('the record holds no ref');
    const stored: unknown = JSON.parse(raw);
    if (!isStoredRef(stored)) throw new Error('the ref names no known vendor object');
    return writeRefFromStored(stored);
  } catch (error) {
    throw invalidRecord(key, error instanceof Error ? error.message : String(error), onInvalid);
  }
}

/** The error for a record that does not read, reported to `onInvalid` first. */
export function invalidRecord(key: string, reason: string, onInvalid?: (key: string, reason: string) => void): IdempotencyRecordInvalidError {
  onInvalid?.(key, reason);
  return new IdempotencyRecordInvalidError('The record of this clientMutationId cannot be read, so its write is neither repeated nor replayed; check the object at the vendor, then send a new clientMutationId');
}

function isStoredRef(value: unknown): value is StoredWriteRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Record<string, unknown>;
  if (ref.vendor === 'zuora') return typeof ref.connectionId === 'string' && typeof ref.listedBy === 'string';
  if ('orgId' in ref) return typeof ref.orgId === 'string' && typeof ref.mappingId === 'string';
  if ('clientCode' in ref) return typeof ref.clientCode === 'string' && typeof ref.keyLinkId === 'string';
  return typeof ref.vendor === 'string' && typeof ref.tenant === 'string' && typeof ref.linkId === 'string';
}
