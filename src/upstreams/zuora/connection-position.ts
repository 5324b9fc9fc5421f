/**
 * The upstream position of a connection page, as a small value a GraphQL cursor can carry, and
 * the request it stands for. The paging rules themselves (nextPage, page+1, caps) are in
 * `paging.ts`; this only converts between its requests and positions.
 */
import { UpstreamContractError } from '../../errors.js';
import { ZUORA_PAGE_SIZE, type ZuoraPageRequest } from './paging.js';
import type { ZuoraConnectionDirection, ZuoraConnectionPosition } from './zuora-types.js';

export const CONNECTIONS_PATH = 'v1/entity-connections';

export function requestAt(position: Partial<ZuoraConnectionPosition>): ZuoraPageRequest {
  const searchParams = new URLSearchParams({ page: String(position.page ?? 1), pageSize: String(pageSizeOf(position.pageSize)) });
  if (position.type !== undefined) searchParams.set('type', position.type);
  return { path: CONNECTIONS_PATH, searchParams };
}

/**
 * 1 to 300. Zuora counts a larger size as 300; asking for 500 and getting 300 would look
 * like a short, last page to the page+1 rule when `nextPage` is absent.
 */
export function pageSizeOf(pageSize: number | undefined): number {
  if (pageSize === undefined || !Number.isFinite(pageSize)) return ZUORA_PAGE_SIZE;
  return Math.min(ZUORA_PAGE_SIZE, Math.max(1, Math.trunc(pageSize)));
}

/** The position of a next-page request; its `page` came from Zuora's `nextPage` or from page+1. */
export function positionOf(request: ZuoraPageRequest, current: ZuoraPageRequest): ZuoraConnectionPosition {
  const page = Number(request.searchParams.get('page'));
  // The current size when nextPage omits it: Zuora keeps the size it was asked for.
  const pageSize = Number(request.searchParams.get('pageSize') ?? current.searchParams.get('pageSize'));
  if (request.path !== CONNECTIONS_PATH || !Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw unexpectedNextPage();
  }
  const type = directionOf(request.searchParams.get('type') ?? current.searchParams.get('type'));
  return { page, pageSize, ...(type === undefined ? {} : { type }) };
}

/** A `nextPage` that leaves the connection list would send our token somewhere we did not choose. */
export function unexpectedNextPage(): UpstreamContractError {
  return new UpstreamContractError({ vendor: 'zuora', operation: 'listConnections', vendorCode: 'UNEXPECTED_NEXT_PAGE', retryable: false });
}

function directionOf(value: string | null): ZuoraConnectionDirection | undefined {
  return value === 'inbound' || value === 'outbound' ? value : undefined;
}
