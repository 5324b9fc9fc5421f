/**
 * Zuora entity-connection paging: start at page 1 with 300 rows; follow `nextPage`'s path and
 * query against our configured base URL (never its host), else ask for page+1 while pages come
 * back full; drop ids already seen, since a row may repeat across pages; stop when a page adds
 * nothing new, or after 100 pages.
 */
import { pageThrough, type PageStep } from '../../lib/page-through.js';

/** One page request: a path relative to the base URL (no leading slash) and its query. */
export interface ZuoraPageRequest {
  path: string;
  searchParams: URLSearchParams;
}

export interface ZuoraPageBody<Item> {
  items: Item[];
  /** Absolute URL of the next page, absent on the last (Z17); current docs may omit it. */
  nextPage?: string | null;
}

export const ZUORA_PAGE_SIZE = 300;
export const ZUORA_MAX_PAGES = 100;

export function firstZuoraPage(path: string, filters: Record<string, string> = {}): ZuoraPageRequest {
  return { path, searchParams: new URLSearchParams({ ...filters, page: '1', pageSize: String(ZUORA_PAGE_SIZE) }) };
}

/** The request after `current`, given what it returned (before de-duplication), or `undefined`. */
export function nextZuoraPage(current: ZuoraPageRequest, body: ZuoraPageBody<unknown>): ZuoraPageRequest | undefined {
  if (typeof body.nextPage === 'string' && body.nextPage !== '') {
    // Path and query only: the host in nextPage is Zuora's idea of itself, ours is configuration.
    const next = new URL(body.nextPage, 'http://base.invalid');
    return { path: next.pathname.replace(/^\/+/, ''), searchParams: next.searchParams };
  }
  const pageSize = Number(current.searchParams.get('pageSize') ?? ZUORA_PAGE_SIZE);
  if (body.items.length < pageSize) return undefined;
  const searchParams = new URLSearchParams(current.searchParams);
  searchParams.set('page', String(Number(current.searchParams.get('page') ?? 1) + 1));
  return { path: current.path, searchParams };
}

/** Every page's new items; `fetchPage` performs one request (the client's typed call). */
export function zuoraPages<Item extends { id?: string | null }>(
  first: ZuoraPageRequest,
  fetchPage: (request: ZuoraPageRequest) => Promise<ZuoraPageBody<Item>>,
): AsyncGenerator<Item[], void, undefined> {
  const seen = new Set<string>();
  const step = async (request: ZuoraPageRequest): Promise<PageStep<Item, ZuoraPageRequest>> => {
    const body = await fetchPage(request);
    const fresh = body.items.filter((item) => {
      // A row without an id cannot be de-duplicated; keep it rather than lose data.
      if (typeof item.id !== 'string') return true;
      if (seen.has(item.id)) return false;
      seen.add(item.id);
      return true;
    });
    // A page with nothing new means the server is repeating itself: stop rather than loop.
    return { items: fresh, next: fresh.length === 0 ? undefined : nextZuoraPage(request, body) };
  };
  return pageThrough(first, step, { maxPages: ZUORA_MAX_PAGES, onMaxPages: 'stop' });
}
