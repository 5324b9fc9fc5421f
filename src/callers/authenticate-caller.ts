/**
 * Who is calling: the API key from `Authorization: Bearer <key>` or `X-Api-Key: <key>`, matched
 * by hash against the configured keys. Anything else is `UNAUTHENTICATED` (HTTP 401) with a
 * message that never repeats the key.
 */
import { timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../errors.js';
import type { ApiKeyRecord } from './api-key-record.js';
import type { Caller } from './caller.js';
import { hashApiKey } from './hash-api-key.js';
import { readHeader, type HeaderSource } from './header-source.js';

/** Longer than any key we issue or advise by far; bounds the hashing work a stranger can ask for. */
const MAX_KEY_LENGTH = 512;

/**
 * `rawHeaders` (Node's `req.rawHeaders`, names and values alternating) lets a key header sent
 * twice be seen: Node keeps only the first `Authorization` in `req.headers`, so two that disagree
 * would otherwise let whichever a proxy put first win silently. They fail closed instead.
 */
export function authenticateCaller(headers: HeaderSource, apiKeys: readonly ApiKeyRecord[], rawHeaders?: readonly string[]): Caller {
  if (rawHeaders !== undefined) refuseConflictingRepeats(rawHeaders);
  const key = presentedKey(headers);
  const presented = Buffer.from(hashApiKey(key), 'utf8');
  let found: ApiKeyRecord | undefined;
  // Every record is compared, in constant time each, so timing says nothing about which one (or
  // how much of a hash) matched.
  for (const record of apiKeys) {
    const stored = Buffer.from(record.hash, 'utf8');
    if (stored.length === presented.length && timingSafeEqual(stored, presented) && found === undefined) found = record;
  }
  if (found === undefined) throw new UnauthenticatedError('The API key is not valid');
  return {
    keyId: found.id,
    scopes: found.scopes,
    tenants: found.tenants,
    ...(found.limits === undefined ? {} : { limits: found.limits }),
    ...(found.trustedDocumentsOnly === true ? { trustedDocumentsOnly: true } : {}),
  };
}

function presentedKey(headers: HeaderSource): string {
  const authorization = readHeader(headers, 'authorization');
  const apiKey = readHeader(headers, 'x-api-key');
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new UnauthenticatedError('The Authorization header must be "Bearer <API key>"');
    bearer = match[1];
  }
  if (bearer !== undefined && apiKey !== undefined && bearer !== apiKey) {
    throw new UnauthenticatedError('Authorization and X-Api-Key carry different API keys; send one');
  }
  const key = bearer ?? apiKey;
  if (key === undefined) throw new UnauthenticatedError('An API key is required: send "Authorization: Bearer <API key>" or "X-Api-Key: <API key>"');
  if (key.length > MAX_KEY_LENGTH) throw new UnauthenticatedError('The API key is not valid');
  return key;
}

/** The headers that carry a key; each may appear once, or repeated with the same value. */
const KEY_HEADERS = ['authorization', 'x-api-key'] as const;

export function refuseConflictingRepeats(rawHeaders: readonly string[]): void {
  for (const name of KEY_HEADERS) {
    const values = new Set<string>();
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      if (rawHeaders[i]!.toLowerCase() === name) values.add(rawHeaders[i + 1]!.trim());
    }
    if (values.size > 1) throw new UnauthenticatedError(`The ${name === 'authorization' ? 'Authorization' : 'X-Api-Key'} header came more than once with different values; send one API key`);
  }
}
