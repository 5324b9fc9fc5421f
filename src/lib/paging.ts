import { BadUserInputError } from '../errors.js';

/** Page size when `first` is omitted, and the most one page may hold (documented in the schema). */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<Node> {
  edges: { cursor: string; node: Node }[];
  nodes: Node[];
  pageInfo: PageInfo;
}

/** `first` checked: a positive integer up to MAX_PAGE_SIZE, or the default when absent. */
export function pageSizeOf(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

/**
 * Cursors are opaque: base64url JSON tagged with the list they belong to, so a cursor from one
 * list is refused by another instead of silently paging the wrong thing, and with the tenant
 * (`scope`) whose data it pages, so authorization can refuse another tenant's cursor before any
 * call. The position inside is whatever that list needs to resume upstream (an offset, a Zuora
 * page, a continuation token…). Every cursor carries its scope, and a list reads back only a
 * cursor of its own scope: one without (hand-made, since no list writes one) is invalid, or it
 * would slip past the tenant check that compares scopes.
 */
export function encodeCursor(list: string, position: unknown, scope: string): string {
  return Buffer.from(JSON.stringify([list, position, scope]), 'utf8').toString('base64url');
}

/** The position inside a cursor of this list and scope, or BAD_USER_INPUT. */
export function decodeCursor(list: string, cursor: string, scope: string, argument = 'after'): unknown {
  const decoded = parseCursor(cursor);
  if (decoded !== undefined && decoded[0] === list) {
    if (typeof decoded[2] !== 'string') throw new BadUserInputError(`${argument} is not a cursor of this list: it carries no scope, as every cursor this list returns does; pass an endCursor this list returned`);
    if (decoded[2] === scope) return decoded[1];
  }
  throw new BadUserInputError(`${argument} is not a cursor of this list; pass an endCursor this list returned`);
}

/**
 * The tenant a cursor of one kind of list (its list name starts with one of `lists`) is bound to;
 * `undefined` for a cursor of another list, one that names none, or not a cursor of ours (the
 * list's own decodeCursor refuses those as BAD_USER_INPUT).
 */
export function cursorScopeOf(cursor: string, lists: readonly string[]): string | undefined {
  const decoded = parseCursor(cursor);
  const list = decoded?.[0];
  if (typeof list !== 'string' || !lists.some((prefix) => list.startsWith(prefix))) return undefined;
  return typeof decoded?.[2] === 'string' ? decoded[2] : undefined;
}

function parseCursor(cursor: string): [unknown, unknown, unknown?] | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && (decoded.length === 2 || decoded.length === 3)) return decoded as [unknown, unknown, unknown?];
  } catch {
    // Not base64url JSON: not a cursor of ours.
  }
  return undefined;
}

/**
 * One page of a list already in memory (loaded once per request through a loader), with
 * offset cursors. `list` names the list and its arguments so cursors cannot cross lists.
 */
export function pageOfArray<Node>(items: readonly Node[], list: string, args: { first?: number | null; after?: string | null }, scope: string): Page<Node> {
  const size = pageSizeOf(args.first);
  let start = 0;
  if (args.after !== null && args.after !== undefined) {
    const position = decodeCursor(list, args.after, scope);
    if (!Number.isInteger(position) || (position as number) < 0) throw new BadUserInputError('after is not a cursor of this list');
    start = (position as number) + 1;
  }
  const slice = items.slice(start, start + size);
  const cursorAt = (index: number) => encodeCursor(list, start + index, scope);
  let edges: Page<Node>['edges'] | undefined;
  return {
    // Built when a query asks for edges: a graph query that reads `nodes` of thousands of pages
    // would otherwise encode a cursor per item for nothing.
    get edges() {
      edges ??= slice.map((node, i) => ({ cursor: cursorAt(i), node }));
      return edges;
    },
    nodes: slice,
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length > 0 ? cursorAt(0) : null,
      endCursor: slice.length > 0 ? cursorAt(slice.length - 1) : null,
    },
  };
}

/**
 * Where to resume an upstream list: the upstream page at `at`, after its item `index` (-1: from
 * the page's start), or `'end'` when nothing is left. `Position` is the vendor's own page
 * position (a Zuora page, a continuation token, a Rev.io page number).
 */
export type UpstreamResume<Position> = { at: Position; index: number } | 'end';

/** One upstream page as an adapter returns it: its items and the position of the next page. */
export interface UpstreamPage<Item, Position> {
  items: readonly Item[];
  /** `undefined` on the last page. */
  next: Position | undefined;
}

export interface UpstreamRead<Item, Position> {
  /** At most `first` items that passed the filter, each with the position just after it. */
  items: { node: Item; resume: UpstreamResume<Position> }[];
  /** One more item passed the filter (it was read, not returned). */
  hasMore: boolean;
}

export interface ReadUpstreamOptions<Item, Position> {
  first: number;
  fetchPage: (at: Position) => Promise<UpstreamPage<Item, Position>>;
  /** Client-side filter, for what the vendor cannot filter. */
  keep?: (item: Item) => boolean;
  /** Pages read at most in one call; a vendor that never says "last page" fails with this error. */
  maxPages: number;
  tooManyPages: () => Error;
}

/**
 * The one loop behind every root list that pages upstream: read upstream pages from `from`
 * until `first` + 1 items pass the filter (the extra one only answers `hasNextPage`) or the
 * list ends. A page is read again from its start when a cursor points inside it, so a cursor
 * stays a small value rather than server-side state. The item that ends an upstream page
 * resumes at the next page (or `'end'`), which saves re-reading a page only to skip all of it.
 */
export async function readUpstream<Item, Position>(from: UpstreamResume<Position>, options: ReadUpstreamOptions<Item, Position>): Promise<UpstreamRead<Item, Position>> {
  const items: UpstreamRead<Item, Position>['items'] = [];
  if (from === 'end') return { items, hasMore: false };
  const keep = options.keep ?? (() => true);
  let at: Position | undefined = from.at;
  let skip = from.index + 1;
  for (let pages = 0; at !== undefined; pages += 1) {
    if (pages >= options.maxPages) throw options.tooManyPages();
    const current: Position = at;
    const page = await options.fetchPage(current);
    for (let index = skip; index < page.items.length; index += 1) {
      const node = page.items[index] as Item;
      if (!keep(node)) continue;
      if (items.length === options.first) return { items, hasMore: true };
      const endsPage = index === page.items.length - 1;
      const resume: UpstreamResume<Position> = !endsPage ? { at: current, index } : page.next === undefined ? 'end' : { at: page.next, index: -1 };
      items.push({ node, resume });
    }
    at = page.next;
    skip = 0;
  }
  return { items, hasMore: false };
}

/** A page from edges already cut, for lists whose cursors are not offsets. */
export function pageOfEdges<Node>(edges: { cursor: string; node: Node }[], hasNextPage: boolean, hasPreviousPage: boolean): Page<Node> {
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** A resume position read back from a cursor: `'end'` or `[at, index]` with `at` checked by the list. */
export function resumeFromCursor<Position>(value: unknown, isPosition: (at: unknown) => at is Position): UpstreamResume<Position> | undefined {
  if (value === 'end') return 'end';
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, index] = value as unknown[];
  if (!isPosition(at) || !Number.isSafeInteger(index) || (index as number) < -1) return undefined;
  return { at, index: index as number };
}

/** The cursor form of a resume position: `'end'` or `[at, index]`. */
export function resumeToCursor<Position>(resume: UpstreamResume<Position>): unknown {
  return resume === 'end' ? 'end' : [resume.at, resume.index];
}
