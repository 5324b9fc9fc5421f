/**
 * Callers with JWTs: `Authorization: Bearer <JWT>` verified with jose against the identity
 * provider's JWKS (a URL, or a file), with pinned algorithms, `iss`, `aud` and `exp`/`nbf`
 * (allowing a little clock skew). A verified token becomes the same `Caller` an API key does
 * (callerFromClaims). Every refusal is `UNAUTHENTICATED` (HTTP 401) with a message naming what
 * was wrong with the token, never the token, the JWKS host or jose's own text.
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../errors.js';
import type { VendorSettings } from '../upstreams/vendor-settings.js';
import type { Caller } from './caller.js';
import { callerFromClaims } from './caller-from-claims.js';
import type { JwtAlgorithm } from './jwt-settings.js';

export interface JwtVerifierOptions {
  jwksUrl?: string;
  jwksFile?: string;
  issuer: string;
  audience: string;
  algorithms: readonly JwtAlgorithm[];
  clockSkewSeconds: number;
  tenantsClaim: string;
  jwksCooldownMs: number;
  jwksCacheMs: number;
  trustedDocumentsOnly: boolean;
}

export interface JwtVerifier {
  /** The token's caller; rejects with `UnauthenticatedError` for any token that does not verify. */
  verify(token: string): Promise<Caller>;
}

/** How long a JWKS fetch may take before the token is refused (and the next token tries again). */
const JWKS_TIMEOUT_MS = 5_000;

export function createJwtVerifier(options: JwtVerifierOptions, vendors: readonly VendorSettings[]): JwtVerifier {
  const keys = options.jwksUrl !== undefined ? remoteKeys(options) : fileKeys(options.jwksFile ?? '', options.jwksCooldownMs);
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: [...options.algorithms],
    clockTolerance: options.clockSkewSeconds,
    // A token without an expiry would be good forever once leaked.
    requiredClaims: ['exp'],
  };
  return {
    async verify(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, verifyOptions));
      } catch (error) {
        throw new UnauthenticatedError(refusalMessage(error), { cause: error });
      }
      return callerFromClaims(payload, { tenantsClaim: options.tenantsClaim, trustedDocumentsOnly: options.trustedDocumentsOnly }, vendors);
    },
  };
}

/**
 * jose fetches the JWKS on first use, keeps it `jwksCacheMs`, and refetches early when a token
 * names an unknown `kid` (key rotation), but at most once per `jwksCooldownMs`.
 */
function remoteKeys(options: JwtVerifierOptions): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(options.jwksUrl!), { cooldownDuration: options.jwksCooldownMs, cacheMaxAge: options.jwksCacheMs, timeoutDuration: JWKS_TIMEOUT_MS });
}

/** The file is read at start (a bad one stops the gateway) and again, at most once per cooldown, when a token names a key it lacks. */
function fileKeys(path: string, cooldownMs: number): JWTVerifyGetKey {
  const read = (): JWTVerifyGetKey => {
    let jwks: unknown;
    try {
      jwks = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new Error(`INTERLINK_JWT_JWKS_FILE must name a readable JSON file holding a JWKS ({"keys": [...]}), got ${JSON.stringify(path)}`);
    }
    return createLocalJWKSet(jwks as JSONWebKeySet);
  };
  let current = read();
  let readAt = Date.now();
  return async (header, token) => {
    try {
      return await current(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - readAt < cooldownMs) throw error;
      readAt = Date.now();
      try {
        current = read();
      } catch {
        // A file mid-rewrite: keep the keys we had; the token is refused as naming an unknown key.
        throw error;
      }
      return current(header, token);
    }
  };
}

/** What was wrong, in words safe to send: jose's own messages may quote claim values. */
function refusalMessage(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'The token is not valid yet (nbf)';
    if (error.claim === 'iss') return 'The token was not issued by the accepted issuer (iss)';
    if (error.claim === 'aud') return 'The token is not meant for this gateway (aud)';
    if (error.claim === 'exp') return 'The token has no expiry (exp)';
    return `The token's ${error.claim} claim is not valid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return "The token's signature algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature is not valid";
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return "The token's signing key (kid) is not one of the identity provider's keys";
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return "The identity provider's keys could not be read to verify the token; retry shortly";
  return 'The token is not a valid JWT';
}
