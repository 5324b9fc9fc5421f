import type { IncomingHttpHeaders } from 'node:http';
import { compact, isCompactId, isHyphenatedId } from './ids.js';

/** What the entity headers of a request ask for, before any scope check. */
export type EntityHeader =
  | { kind: 'none' }
  /** A 32-hex id, lower-cased: from `Zuora-Entity-Ids` (converted) or the legacy `entityId`. */
  | { kind: 'id'; entityId: string }
  /** The legacy `entityName` header. */
  | { kind: 'name'; name: string }
  /** A value in the wrong form, e.g. a 32-hex id in `Zuora-Entity-Ids`. */
  | { kind: 'malformed'; message: string }
  /** A legacy header with `Zuora-Entity-Ids`, or both legacy headers (on `/v1`: HTTP 400, category 20). */
  | { kind: 'conflict'; message: string };

/**
 * Reads `Zuora-Entity-Ids` and the legacy `entityId` / `entityName` headers. Only one of them may
 * be sent; `Zuora-Entity-Ids` takes exactly one hyphenated id, compared case-insensitively.
 */
export function readEntityHeader(headers: IncomingHttpHeaders): EntityHeader {
  const modern = single(headers['zuora-entity-ids']);
  const legacyId = single(headers['entityid']);
  const legacyName = single(headers['entityname']);
  const legacyCount = (legacyId === undefined ? 0 : 1) + (legacyName === undefined ? 0 : 1);
  if (modern !== undefined && legacyCount > 0) {
    return { kind: 'conflict', message: 'Zuora-Entity-Ids cannot be combined with the entityId or entityName header' };
  }
  if (legacyCount > 1) return { kind: 'conflict', message: 'send either entityId or entityName, not both' };

  if (modern !== undefined) {
    const value = modern.trim();
    return isHyphenatedId(value)
      ? { kind: 'id', entityId: compact(value) }
      : { kind: 'malformed', message: `Zuora-Entity-Ids must be one entity id in 8-4-4-4-12 form, got "${value}"` };
  }
  if (legacyId !== undefined) {
    const value = legacyId.trim();
    return isCompactId(value)
      ? { kind: 'id', entityId: value.toLowerCase() }
      : { kind: 'malformed', message: `entityId must be a 32-character hex entity id, got "${value}"` };
  }
  if (legacyName !== undefined) {
    const value = legacyName.trim();
    return value === '' ? { kind: 'malformed', message: 'entityName must not be empty' } : { kind: 'name', name: value };
  }
  return { kind: 'none' };
}

/** Node joins repeated custom headers with ", ", which then fails the format checks above. */
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
