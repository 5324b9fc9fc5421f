import { hashString } from '../core/rng.js';
import type { MappingCursor } from './newest-first.js';

/**
 * What a page query is about: org, operation and filters. A nextToken remembers it, so a token
 * replayed with other filters (or none: m3ter has clients repeat them on every page) is refused
 * rather than silently continuing a different list. The page size may change between pages.
 */
export function queryFingerprint(orgId: string, operation: string, parts: readonly string[]): number {
  return hashString([orgId, operation, ...parts].join('\u0000'));
}

/**
 * The token holds a position, not an offset: the last row's (dtCreated, id). The next page starts
 * strictly after it, so mappings created or deleted between pages never shift, repeat or skip
 * the rows still to come.
 */
export function encodeNextToken(last: MappingCursor, fingerprint: number): string {
  return Buffer.from(JSON.stringify([last.createdMs, last.id, fingerprint])).toString('base64url');
}

/** The cursor, or undefined for anything this server did not issue for this very query. */
export function decodeNextToken(token: string, fingerprint: number): MappingCursor | undefined {
  // Node's base64url decoder skips characters it does not know, so check the alphabet first.
  if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length > 512) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [createdMs, id, issuedFor] = parsed as unknown[];
  if (typeof createdMs !== 'number' || !Number.isSafeInteger(createdMs)) return undefined;
  if (typeof id !== 'string' || issuedFor !== fingerprint) return undefined;
  return { createdMs, id };
}
