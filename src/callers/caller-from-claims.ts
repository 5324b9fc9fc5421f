/**
 * A verified JWT's claims as a `Caller`, the same model an API key gives: scopes from the OAuth
 * `scope` claim (space-separated; `scp` as an array, as some providers send it), tenants from
 * the configured claim in an API key's `tenants` form, each id checked as a key's would be.
 */
import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { UnauthenticatedError } from '../errors.js';
import type { VendorSettings } from '../upstreams/vendor-settings.js';
import { SCOPES, type Scope, type TenantGrant } from './api-key-record.js';
import type { Caller } from './caller.js';

export interface ClaimMapping {
  tenantsClaim: string;
  trustedDocumentsOnly: boolean;
}

/**
 * A subject up to this long is the caller id as it is (`jwt:` + subject). The caller id scopes
 * idempotency records and names the caller in audit lines, so two subjects must never share one:
 * a longer subject keeps its first SUBJECT_HEAD characters, then `#` and the SHA-256 of the whole
 * subject. That form is longer than MAX_SUBJECT_LENGTH, so no short subject can spell it, and two
 * long subjects share it only if SHA-256 collides: distinct subjects stay distinct.
 */
export const MAX_SUBJECT_LENGTH = 128;
const SUBJECT_HEAD = 96;

/** The `jwt:` caller id of a token subject: injective (see MAX_SUBJECT_LENGTH), and bounded for logs. */
export function callerIdOfSubject(subject: string): string {
  if (subject.length <= MAX_SUBJECT_LENGTH) return `jwt:${subject}`;
  return `jwt:${subject.slice(0, SUBJECT_HEAD)}#${createHash('sha256').update(subject).digest('hex')}`;
}

export function callerFromClaims(claims: JWTPayload, mapping: ClaimMapping, vendors: readonly VendorSettings[]): Caller {
  // RFC 9068 access tokens always carry `sub` (the client itself, for client credentials).
  const subject = [claims.sub, claims.azp].find((value): value is string => typeof value === 'string' && value !== '');
  if (subject === undefined) throw new UnauthenticatedError('The token names no subject (sub or azp)');
  return {
    keyId: callerIdOfSubject(subject),
    scopes: scopesOf(claims),
    tenants: tenantsOf(claims[mapping.tenantsClaim], mapping.tenantsClaim, vendors),
    ...(mapping.trustedDocumentsOnly ? { trustedDocumentsOnly: true } : {}),
  };
}

/** Scopes the gateway knows; others (a provider's `openid`, another API's) are ignored. */
function scopesOf(claims: JWTPayload): Scope[] {
  const raw = typeof claims.scope === 'string' ? claims.scope.split(' ') : Array.isArray(claims.scp) ? claims.scp : [];
  return SCOPES.filter((scope) => raw.includes(scope));
}

/** A vendor the claim leaves out grants nothing there; a malformed claim refuses the token. */
function tenantsOf(claim: unknown, name: string, vendors: readonly VendorSettings[]): TenantGrant {
  if (claim !== undefined && (typeof claim !== 'object' || claim === null || Array.isArray(claim))) {
    throw new UnauthenticatedError(`The token's ${name} claim must be an object of tenant lists per vendor`);
  }
  const lists = (claim ?? {}) as Record<string, unknown>;
  const grant: Record<string, string[]> = {};
  for (const vendor of vendors) {
    const listed = lists[vendor.name] ?? [];
    const ids = Array.isArray(listed) ? listed.map((id) => vendor.grant.parser.parse(id)) : [undefined];
    if (ids.some((id) => id === undefined)) throw new UnauthenticatedError(`The token's ${name} claim must list ${vendor.grant.plural} under "${vendor.name}"`);
    grant[vendor.name] = ids as string[];
  }
  return grant as unknown as TenantGrant;
}
