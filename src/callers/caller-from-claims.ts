/**
 * A verified JWT's claims as a `Caller`, the same model an API key gives: scopes from the OAuth
 * `scope` claim (space-separated; `scp` as an array, as some providers send it), tenants from
 * the configured claim in an API key's `tenants` form, each id checked as a key's would be.
 */
import type { JWTPayload } from 'jose';
import { UnauthenticatedError } from '../errors.js';
import type { VendorSettings } from '../upstreams/vendor-settings.js';
import { SCOPES, type Scope, type TenantGrant } from './api-key-record.js';
import type { Caller } from './caller.js';

export interface ClaimMapping {
  tenantsClaim: string;
  trustedDocumentsOnly: boolean;
}

/** Names the caller in logs and metrics; a provider's subject can be any length. */
const MAX_SUBJECT_LENGTH = 128;

export function callerFromClaims(claims: JWTPayload, mapping: ClaimMapping, vendors: readonly VendorSettings[]): Caller {
  // RFC 9068 access tokens always carry `sub` (the client itself, for client credentials).
  const subject = [claims.sub, claims.azp].find((value): value is string => typeof value === 'string' && value !== '');
  if (subject === undefined) throw new UnauthenticatedError('The token names no subject (sub or azp)');
  return {
    keyId: `jwt:${subject.slice(0, MAX_SUBJECT_LENGTH)}`,
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
