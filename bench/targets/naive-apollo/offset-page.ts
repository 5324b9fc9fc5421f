/** A Relay page cut from a whole list with offset cursors: how a first attempt pages. */
import { GraphQLError } from 'graphql';

export interface OffsetPage<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function offsetPage<T>(items: readonly T[], args: { first?: number | null; after?: string | null }): OffsetPage<T> {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) throw badInput(`first must be an integer from 1 to 500, got ${first}`);
  let start = 0;
  if (args.after) {
    const offset = Number(Buffer.from(args.after, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(offset) || offset < 0) throw badInput('after is not a cursor of this list');
    start = offset + 1;
  }
  const slice = items.slice(start, start + first);
  const edges = slice.map((node, i) => ({ cursor: Buffer.from(`offset:${start + i}`).toString('base64url'), node }));
  return {
    edges,
    nodes: slice,
    pageInfo: { hasNextPage: start + first < items.length, hasPreviousPage: start > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
