/**
 * m3ter `nextToken` paging: 200 per page, filters repeated on every page, stop
 * when `nextToken` is absent, null or "". On a 413 the page size is halved and the page retried
 * once. Beyond the contract: a token that repeats, or 1,000 pages (200,000 mappings), fails the
 * call instead of looping.
 */
import { UpstreamContractError, UpstreamError } from '../../errors.js';
import { pageThrough, type PageStep } from '../../lib/page-through.js';

export interface M3terPageRequest {
  pageSize: number;
  nextToken?: string;
}

export interface M3terPageBody<Item> {
  data: Item[];
  nextToken?: string | null;
}

export const M3TER_PAGE_SIZE = 200;
export const M3TER_MAX_PAGES = 1000;

export function firstM3terPage(): M3terPageRequest {
  return { pageSize: M3TER_PAGE_SIZE };
}

export function nextM3terPage(current: M3terPageRequest, body: M3terPageBody<unknown>): M3terPageRequest | undefined {
  const token = body.nextToken;
  if (token === undefined || token === null || token === '') return undefined;
  return { pageSize: current.pageSize, nextToken: token };
}

/**
 * Query parameters for one page: the caller's filters (repeated on every page) plus paging.
 * Array filters (`m3terIds`) become repeated parameters.
 */
export function m3terSearchParams(request: M3terPageRequest, filters: Record<string, string | string[]> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  }
  params.set('pageSize', String(request.pageSize));
  if (request.nextToken !== undefined) params.set('nextToken', request.nextToken);
  return params;
}

export function m3terPages<Item>(
  fetchPage: (request: M3terPageRequest) => Promise<M3terPageBody<Item>>,
  operation: string,
): AsyncGenerator<Item[], void, undefined> {
  const tokens = new Set<string>();
  const step = async (request: M3terPageRequest): Promise<PageStep<Item, M3terPageRequest>> => {
    const body = await fetchHalvingOn413(fetchPage, request);
    const next = nextM3terPage(request, body);
    if (next?.nextToken !== undefined) {
      if (tokens.has(next.nextToken)) throw pagingStuck(operation);
      tokens.add(next.nextToken);
    }
    return { items: body.data, next };
  };
  return pageThrough(firstM3terPage(), step, { maxPages: M3TER_MAX_PAGES, onMaxPages: () => pagingStuck(operation) });
}

async function fetchHalvingOn413<Item>(
  fetchPage: (request: M3terPageRequest) => Promise<M3terPageBody<Item>>,
  request: M3terPageRequest,
): Promise<M3terPageBody<Item>> {
  try {
    return await fetchPage(request);
  } catch (error) {
    if (!(error instanceof UpstreamError) || error.status !== 413 || request.pageSize < 2) throw error;
    return fetchPage({ ...request, pageSize: Math.floor(request.pageSize / 2) });
  }
}

function pagingStuck(operation: string): UpstreamContractError {
  return new UpstreamContractError({ vendor: 'm3ter', operation, retryable: false, vendorCode: 'PAGING_NOT_ADVANCING' });
}
