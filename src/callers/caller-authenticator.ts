/**
 * Who is calling, by API key or by JWT: a bearer token shaped like a JWT (three base64url parts)
 * goes to the JWT verifier when one is configured; anything else is an API key
 * (authenticateCaller). API keys never contain dots, so the two cannot be mistaken for each other.
 */
import type { ApiKeyRecord } from './api-key-record.js';
import { authenticateCaller, refuseConflictingRepeats } from './authenticate-caller.js';
import type { Caller } from './caller.js';
import { readHeader, type HeaderSource } from './header-source.js';
import type { JwtVerifier } from './jwt-verifier.js';

export type CallerAuthenticator = (headers: HeaderSource, rawHeaders?: readonly string[]) => Promise<Caller>;

const JWT_SHAPE = /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]*)$/i;

/** Comfortably above any access token a provider issues; bounds the work a stranger can ask for. */
const MAX_JWT_LENGTH = 8192;

export function createCallerAuthenticator(apiKeys: readonly ApiKeyRecord[], jwt: JwtVerifier | undefined): CallerAuthenticator {
  return async (headers, rawHeaders) => {
    const token = jwt === undefined ? undefined : JWT_SHAPE.exec(readHeader(headers, 'authorization') ?? '')?.[1];
    if (jwt === undefined || token === undefined || token.length > MAX_JWT_LENGTH || readHeader(headers, 'x-api-key') !== undefined) {
      // An X-Api-Key beside a JWT is two credentials: authenticateCaller refuses the mismatch.
      return authenticateCaller(headers, apiKeys, rawHeaders);
    }
    if (rawHeaders !== undefined) refuseConflictingRepeats(rawHeaders);
    return jwt.verify(token);
  };
}
