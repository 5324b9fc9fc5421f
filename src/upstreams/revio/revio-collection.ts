/**
 * One Rev.io collection endpoint (`GET /v1/Integration…` with `search.*` filters), read one page
 * at a time or to the end. Every page is re-checked on the client: Rev.io's
 * matching is looser than ours, and a filter a real tenant ignored must not leak records in.
 */
import { UpstreamContractError } from '../../errors.js';
import { collectPages } from '../../lib/page-through.js';
import { isRecord } from '../classification.js';
import { readKey } from '../read-sharing.js';
import { nextRevioPage, revioPages, revioSearchParams, type RevioPageRequest } from './paging.js';
import type { RevioHttp } from './revio-http.js';

export interface RevioCallOptions {
  /** The gateway request id, sent as `X-Request-Id`. */
  requestId?: string;
  /** Budget for the call, retries included (default: the client's `timeouts.deadlineMs`). */
  deadlineMs?: number;
  /** A readiness probe: reaches Rev.io itself now (never a read another call started), retrying at short intervals. */
  probe?: boolean;
}

export interface RevioPageOptions<Search> extends RevioCallOptions {
  search?: Search;
  /** 1-based; a `followingPage` from an earlier result resumes there. */
  page?: number;
}

export interface RevioPage<Item> {
  /** This page's records that really match the search. */
  records: Item[];
  page: number;
  /** The page to ask for next, or `undefined` on the last one (`has_more` false). */
  followingPage: number | undefined;
}

export interface CollectionSpec<Item, Search> {
  path: string;
  /** Names the call in errors and events, e.g. `searchKeyLinks`. */
  operation: string;
  idOf(item: Item): unknown;
  filters(search: Search): Record<string, string | number>;
  matches(item: Item, search: Search): boolean;
}

export interface RevioCollectionReader<Item, Search> {
  page(options?: RevioPageOptions<Search>): Promise<RevioPage<Item>>;
  /** Every page from the first, each already filtered; fails if paging does not advance. */
  pages(options?: Omit<RevioPageOptions<Search>, 'page'>): AsyncGenerator<Item[], void, undefined>;
  all(options?: Omit<RevioPageOptions<Search>, 'page'>): Promise<Item[]>;
}

interface RawPage<Item> {
  has_more?: boolean;
  records: Item[];
}

export function revioCollection<Item, Search extends object>(http: RevioHttp, spec: CollectionSpec<Item, Search>): RevioCollectionReader<Item, Search> {
  const fetchPage = async (request: RevioPageRequest, search: Search, call: RevioCallOptions): Promise<RawPage<Item>> => {
    const searchParams = revioSearchParams(request, spec.filters(search));
    const get = () => http.got.get(spec.path, { searchParams, context: { ...http.context(spec.operation, call) } }).json<unknown>();
    // The body may be another caller's too: it is read here, never changed.
    const body = call.probe === true ? await get() : await http.reads.read(readKey(spec.path, searchParams), { operation: spec.operation, requestId: call.requestId }, get);
    // `record_count` counts this page only, so only `records` and `has_more` are read.
    if (!isRecord(body) || !Array.isArray(body.records)) {
      throw new UpstreamContractError({ vendor: 'revio', operation: spec.operation, status: 200, retryable: false, vendorCode: 'NOT_A_COLLECTION' });
    }
    return { has_more: body.has_more === true, records: body.records as Item[] };
  };
  const keep = (records: Item[], search: Search) => records.filter((item) => spec.matches(item, search));

  const reader: RevioCollectionReader<Item, Search> = {
    async page(options = {}) {
      const search = options.search ?? ({} as Search);
      const request = { page: options.page ?? 1 };
      const body = await fetchPage(request, search, options);
      return { records: keep(body.records, search), page: request.page, followingPage: nextRevioPage(request, body)?.page };
    },
    async *pages(options = {}) {
      const search = options.search ?? ({} as Search);
      for await (const records of revioPages((request) => fetchPage(request, search, options), spec.idOf, spec.operation)) {
        yield keep(records, search);
      }
    },
    all: (options = {}) => collectPages(reader.pages(options)),
  };
  return reader;
}
