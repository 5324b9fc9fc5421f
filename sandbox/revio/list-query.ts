import { parseInt32 } from './int32.js';
import type { FieldError } from './responses.js';

/** How a `search.<field>` value is read: int fields must be int32, strings match case-insensitively. */
export type SearchFieldKind = 'int' | 'string';

/** One equality filter. String values are already lower-cased for case-insensitive matching. */
export interface SearchFilter<F extends string = string> {
  field: F;
  value: number | string;
}

export interface ListQuery<F extends string = string> {
  page: number;
  pageSize: number;
  filters: SearchFilter<F>[];
}

const DEFAULT_PAGE_SIZE = 10;
/** Larger sizes are clamped, not refused: Rev.io documents 1–500 but its spec sets no maximum. */
const MAX_PAGE_SIZE = 500;
const PREFIX = 'search.';

/**
 * Reads paging and `search.*` filters from a list request.
 * Parameter names are matched case-insensitively, as ASP.NET model binding does. Each name may
 * appear once (a comma is an ordinary character, so repeats are the only multi-value form, and they
 * are refused). `search.page` beats `page` when both are sent; the losing one is not read.
 * Other bare parameters are ignored.
 */
export function parseListQuery<F extends string>(
  query: URLSearchParams,
  fields: Readonly<Record<F, SearchFieldKind>>,
): { ok: true; value: ListQuery<F> } | { ok: false; errors: FieldError[] } {
  const seen = new Map<string, string>();
  const errors: FieldError[] = [];
  for (const [rawName, value] of query) {
    const name = rawName.toLowerCase();
    const isSearch = name.startsWith(PREFIX);
    if (!isSearch && name !== 'page' && name !== 'page_size') continue;
    if (seen.has(name)) {
      errors.push({ field: rawName, message: `${rawName} may be given once, got it more than once` });
      continue;
    }
    seen.set(name, value);
    if (!isSearch) continue;
    const field = name.slice(PREFIX.length);
    if (field !== 'page' && field !== 'page_size' && !Object.hasOwn(fields, field)) {
      const known = [...Object.keys(fields), 'page', 'page_size'].map((f) => PREFIX + f).join(', ');
      errors.push({ field: rawName, message: `${rawName} is not a search field here; expected one of ${known}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const page = readPaging(seen, 'page', 1, errors);
  const requestedSize = readPaging(seen, 'page_size', DEFAULT_PAGE_SIZE, errors);
  const filters: SearchFilter<F>[] = [];
  for (const field of Object.keys(fields) as F[]) {
    const name = PREFIX + field;
    const raw = seen.get(name);
    if (raw === undefined) continue;
    const kind: SearchFieldKind = fields[field];
    switch (kind) {
      case 'string':
        filters.push({ field, value: raw.toLowerCase() });
        break;
      case 'int': {
        const value = parseInt32(raw);
        if (value === undefined) errors.push({ field: name, message: `${name} must be an integer, got "${raw}"` });
        else filters.push({ field, value });
        break;
      }
      default:
        throw new Error(`unhandled search field kind ${String(kind satisfies never)}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { page, pageSize: Math.min(requestedSize, MAX_PAGE_SIZE), filters } };
}

/** `search.<name>` wins over the bare `<name>`; both must be integers of at least 1. */
function readPaging(seen: Map<string, string>, name: 'page' | 'page_size', fallback: number, errors: FieldError[]): number {
  const prefixed = seen.get(PREFIX + name);
  const label = prefixed === undefined ? name : PREFIX + name;
  const raw = prefixed ?? seen.get(name);
  if (raw === undefined) return fallback;
  const value = parseInt32(raw);
  if (value === undefined || value < 1) {
    errors.push({ field: label, message: `${label} must be an integer of at least 1, got "${raw}"` });
    return fallback;
  }
  return value;
}
