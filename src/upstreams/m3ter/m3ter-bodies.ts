/**
 * Checks that a 2xx body has the shape the client promises its callers, so a proxy's HTML page
 * or a truncated answer fails as a contract error here instead of as a `TypeError` somewhere in
 * a resolver. Only what later code relies on is checked: the fields the spec requires. Optional
 * fields are left to the mapper, which reads them defensively.
 */
import { UpstreamContractError } from '../../errors.js';
import { isRecord } from '../classification.js';
import type { M3terMapping, M3terMappingConfiguration, M3terMappingPage, M3terTokenResponse } from './m3ter-types.js';

const REQUIRED_STRINGS = ['id', 'm3terEntity', 'm3terId', 'externalSystem', 'externalTable', 'externalId'] as const;

export function mappingBody(body: unknown, operation: string): M3terMapping {
  if (!isMapping(body)) throw unexpected(operation);
  return body;
}

/**
 * `{ data, nextToken? }`; `data` may be absent on an empty page (the spec marks it optional), but
 * then nothing else may be there: `{ "items": [...] }` or `{ "message": … }` is not a page, and
 * read as one it would be an org with no mappings.
 */
export function pageBody(body: unknown, operation: string): M3terMappingPage {
  if (!isRecord(body)) throw unexpected(operation);
  const { data, nextToken } = body;
  if (!('data' in body) && !Object.keys(body).every((key) => key === 'nextToken')) throw unexpected(operation);
  if (data !== undefined && data !== null && !(Array.isArray(data) && data.every(isMapping))) throw unexpected(operation);
  if (nextToken !== undefined && nextToken !== null && typeof nextToken !== 'string') throw unexpected(operation);
  return {
    mappings: (data ?? []) as M3terMapping[],
    // Absent, null and "" all mean the last page.
    nextToken: typeof nextToken === 'string' && nextToken !== '' ? nextToken : undefined,
  };
}

export function configurationBody(body: unknown, operation: string): M3terMappingConfiguration {
  if (!isRecord(body) || !Array.isArray(body.m3terEntities) || !Array.isArray(body.externalSystems)) throw unexpected(operation);
  return body as unknown as M3terMappingConfiguration;
}


/** `token_type` is "Bearer" in m3ter's example and "bearer" in its spec: compare without case. */
export function tokenBody(body: unknown, operation: string): M3terTokenResponse {
  if (!isRecord(body)) throw unexpected(operation);
  const { access_token: accessToken, expires_in: expiresIn, token_type: tokenType } = body;
  if (typeof accessToken !== 'string' || accessToken === '') throw unexpected(operation);
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) throw unexpected(operation);
  if (tokenType !== undefined && tokenType !== null && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    throw unexpected(operation);
  }
  return body as unknown as M3terTokenResponse;
}

function isMapping(value: unknown): value is M3terMapping {
  return isRecord(value) && REQUIRED_STRINGS.every((field) => typeof value[field] === 'string');
}

function unexpected(operation: string): UpstreamContractError {
  return new UpstreamContractError({ vendor: 'm3ter', operation, status: 200, retryable: false, vendorCode: 'UNEXPECTED_RESPONSE' });
}
