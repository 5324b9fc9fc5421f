/**
 * A stored record's `ref` as this version reads it. Records live up to a day (in Redis, across an
 * upgrade), so a record written by the version before link refs were generic still holds an m3ter
 * or Rev.io ref in its vendor's own field names; it is read as the generic `LinkWriteRef`. The
 * key (`interlink:v1:`) is unchanged: both shapes name the same link, so a replay after the
 * upgrade still finds the first write. These two cases can go a day after every replica runs this
 * version.
 */
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
