/**
 * Rev.io collection paging: `search.page` from 1 with `search.page_size` 500,
 * loop while `has_more`. `record_count` counts this page only, so it is no stop signal. Fails
 * if a page starts with the previous page's first id (the server ignores our page parameter,
 * whose name is unverified), or after 1,000 pages.
 */
import { UpstreamContractError } from '../../errors.js';
import { pageThrough, type PageStep } from '../../lib/page-through.js';

export interface RevioPageRequest {
  page: number;
}

export interface RevioCollection<Item> {
  has_more?: boolean;
  records: Item[];
}

export const REVIO_PAGE_SIZE = 500;
export const REVIO_MAX_PAGES = 1000;

export function firstRevioPage(): RevioPageRequest {
  return { page: 1 };
}

export function nextRevioPage(current: RevioPageRequest, body: RevioCollection<unknown>): RevioPageRequest | undefined {
  return body.has_more === true ? { page: current.page + 1 } : undefined;
}

/** Query parameters for one page: `search.` filters plus the paging names in their `search.` form. */
export function revioSearchParams(request: RevioPageRequest, filters: Record<string, string | number> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [field, value] of Object.entries(filters)) params.set(`search.${field}`, String(value));
  params.set('search.page', String(request.page));
  params.set('search.page_size', String(REVIO_PAGE_SIZE));
  return params;
}

export function revioPages<Item>(
  fetchPage: (request: RevioPageRequest) => Promise<RevioCollection<Item>>,
  idOf: (item: Item) => unknown,
  operation: string,
): AsyncGenerator<Item[], void, undefined> {
  let previousFirstId: unknown;
  const step = async (request: RevioPageRequest): Promise<PageStep<Item, RevioPageRequest>> => {
    const body = await fetchPage(request);
    const first = body.records[0];
    const firstId = first === undefined ? undefined : idOf(first);
    if (firstId !== undefined && request.page > 1 && firstId === previousFirstId) throw pagingStuck(operation);
    previousFirstId = firstId;
    return { items: body.records, next: nextRevioPage(request, body) };
  };
  return pageThrough(firstRevioPage(), step, { maxPages: REVIO_MAX_PAGES, onMaxPages: () => pagingStuck(operation) });
}

function pagingStuck(operation: string): UpstreamContractError {
  return new UpstreamContractError({ vendor: 'revio', operation, retryable: false, vendorCode: 'PAGING_NOT_ADVANCING' });
}
