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
 * list is refused by another instead of silently paging the wrong thing. The position inside is
 * whatever that list needs to resume upstream (an offset, a Zuora page, an m3ter nextToken…).
 */
export function encodeCursor(list: string, position: unknown): string {
  return Buffer.from(JSON.stringify([list, position]), 'utf8').toString('base64url');
}

/** The position inside a cursor of this list, or BAD_USER_INPUT. */
export function decodeCursor(list: string, cursor: string, argument = 'after'): unknown {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded[0] === list) return decoded[1];
  } catch {
    // Not base64url JSON: fall through to the same error as a cursor of another list.
  }
  throw new BadUserInputError(`${argument} is not a cursor of this list; pass an endCursor this list returned`);
}

/**
 * One page of a list already in memory (loaded once per request through a loader), with
 * offset cursors. `list` names the list and its arguments so cursors cannot cross lists.
 */
export function pageOfArray<Node>(items: readonly Node[], list: string, args: { first?: number | null; after?: string | null }): Page<Node> {
  const size = pageSizeOf(args.first);
  let start = 0;
  if (args.after !== null && args.after !== undefined) {
    const position = decodeCursor(list, args.after);
    if (!Number.isInteger(position) || (position as number) < 0) throw new BadUserInputError('after is not a cursor of this list');
    start = (position as number) + 1;
  }
  const slice = items.slice(start, start + size);
  const edges = slice.map((node, i) => ({ cursor: encodeCursor(list, start + i), node }));
  return {
    edges,
    nodes: slice,
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
