import type { SandboxRequest } from '../core/types.js';
import type { MappingCursor, StoredMapping } from './newest-first.js';
import { mappingToWire } from './mapping-to-wire.js';
import { decodeNextToken, encodeNextToken } from './next-token.js';
import { failed, type Outcome } from './responses.js';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 200;

export interface PageRequest {
  pageSize: number;
  after: MappingCursor | undefined;
}

/**
 * A query parameter that may appear at most once. Repeats are refused rather than guessed at;
 * only `m3terIds` is documented as repeatable.
 */
export function singleParam(query: URLSearchParams, name: string): Outcome<string | undefined> {
  const values = query.getAll(name);
  if (values.length > 1) return failed(400, `${name} may be given once, got ${values.length} values`);
  return { ok: true, value: values[0] };
}

/**
 * `pageSize` (1–200, default 10) and `nextToken`. An empty value counts as absent: the spec
 * allows empty values for both, and clients stop paging on an empty nextToken.
 */
export function parsePageRequest(req: SandboxRequest, fingerprint: number): Outcome<PageRequest> {
  const size = singleParam(req.query, 'pageSize');
  if (!size.ok) return size;
  const token = singleParam(req.query, 'nextToken');
  if (!token.ok) return token;

  let pageSize = DEFAULT_PAGE_SIZE;
  if (size.value !== undefined && size.value !== '') {
    pageSize = /^\d{1,4}$/.test(size.value) ? Number(size.value) : NaN;
    if (!(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE)) {
      return failed(400, `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got "${size.value.slice(0, 40)}"`);
    }
  }
  let after: MappingCursor | undefined;
  if (token.value !== undefined && token.value !== '') {
    after = decodeNextToken(token.value, fingerprint);
    if (!after) return failed(400, 'nextToken is not valid for this query: pass it back unchanged, with the same filters');
  }
  return { ok: true, value: { pageSize, after } };
}

/**
 * `{ data, nextToken? }` from up to pageSize+1 rows: the extra row only says that another page
 * exists, so the last page carries no nextToken.
 */
export function pageBody(rows: readonly StoredMapping[], pageSize: number, fingerprint: number): unknown {
  const page = rows.length > pageSize ? rows.slice(0, pageSize) : rows;
  const data = page.map((row) => mappingToWire(row.data));
  const last = page[page.length - 1];
  return rows.length > pageSize && last ? { data, nextToken: encodeNextToken(last, fingerprint) } : { data };
}
