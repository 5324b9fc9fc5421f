/**
 * Checks that a 2xx list body has the shape the client reads, so a proxy's or a misrouted
 * service's JSON fails as a contract error here instead of reading as an empty tenant
 * (`totalCount: 0`, no error). Only the envelope is checked: the list, its rows being objects, and
 * `nextPage`. Row fields are all optional in the spec; the mapper reads them defensively and
 * fails a row without its ids (mapper.ts), so they are not checked twice.
 */
import { UpstreamContractError } from '../../errors.js';
import { isRecord } from '../classification.js';
import type { ZuoraConnection, ZuoraEntity } from './zuora-types.js';

/** `GET /v1/entities`: `entities` is required here, though the spec marks it optional: a tenant always has its root. */
export function entitiesBody(body: object, operation: string): ZuoraEntity[] {
  const { entities } = body as { entities?: unknown };
  if (!Array.isArray(entities) || !entities.every(isRecord)) throw unexpected(operation);
  return entities as ZuoraEntity[];
}

/**
 * `GET /v1/entity-connections`: `{ entityConnections, nextPage?, success }`. A body without the list
 * is read as an empty page only when it has nothing else either (`{ "success": true }`); any other
 * key means it is not a connection page.
 */
export function connectionsBody(body: object, operation: string): { items: ZuoraConnection[]; nextPage: string | undefined } {
  const { entityConnections, nextPage } = body as { entityConnections?: unknown; nextPage?: unknown };
  if (entityConnections === undefined && !Object.keys(body).every((key) => key === 'success' || key === 'nextPage')) throw unexpected(operation);
  const rows = entityConnections ?? [];
  if (!Array.isArray(rows) || !rows.every(isRecord)) throw unexpected(operation);
  if (nextPage !== undefined && nextPage !== null && typeof nextPage !== 'string') throw unexpected(operation);
  return { items: rows as ZuoraConnection[], nextPage: typeof nextPage === 'string' ? nextPage : undefined };
}

function unexpected(operation: string): UpstreamContractError {
  return new UpstreamContractError({ vendor: 'zuora', operation, status: 200, retryable: false, vendorCode: 'UNEXPECTED_RESPONSE' });
}
