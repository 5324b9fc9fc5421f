/**
 * `Entity.connections` as a Relay page. This field is reached from many entities in one query,
 * so it reads through the per-request `connectionsOf` loader (one whole walk per entity, both
 * directions, deduplicated, shared by every field that asks); direction and status are filtered
 * here and the page cut from the loaded list with offset cursors naming the entity and filters.
 * The root `Query.connections` pages upstream instead (connection-list-page.ts).
 */
import { pageOfArray, pageSizeOf, type Page } from '../lib/paging.js';
import type { Connection, ConnectionInContext, ConnectionStatus } from '../models.js';
import type { ConnectionDirection } from '../__generated__/graphql.js';

export interface ConnectionPageArgs {
  direction?: ConnectionDirection | null;
  status?: ConnectionStatus | null;
  first?: number | null;
  after?: string | null;
}

export function connectionsPage(connections: readonly Connection[], viewpoint: string, args: ConnectionPageArgs): Page<ConnectionInContext> {
  const direction = args.direction ?? 'BOTH';
  const matching = connections
    .filter((c) => direction === 'BOTH' || (direction === 'OUTBOUND' ? c.sourceEntityId === viewpoint : c.targetEntityId === viewpoint))
    .filter((c) => args.status === null || args.status === undefined || c.status === args.status)
    .map((c) => ({ ...c, viewpointEntityId: viewpoint }));
  // The cursor's scope is the entity whose list it pages: the caller must be able to act as it.
  return pageOfArray(matching, `connections:${viewpoint}:${direction}:${args.status ?? ''}`, args, viewpoint);
}

/** Checks `first` and the cursor's list before any upstream call (pageOfArray would, but later). */
export function checkPageArgs(list: string, args: { first?: number | null; after?: string | null }, scope: string): void {
  pageSizeOf(args.first);
  if (args.after !== null && args.after !== undefined) pageOfArray([], list, args, scope);
}

export function connectionPageList(viewpoint: string, args: ConnectionPageArgs): string {
  return `connections:${viewpoint}:${args.direction ?? 'BOTH'}:${args.status ?? ''}`;
}
