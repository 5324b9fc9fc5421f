/**
 * `Query.connections`: one entity's connections read upstream a page at a time, so a page of
 * the list costs only the Zuora pages it needs. Direction goes upstream as `type` (Zuora filters
 * it); status cannot, so it is filtered here. The cursor is Zuora's position of the last item
 * returned: `[[page, pageSize], index]` (or `'end'`), for the list named by entity, direction
 * and status. `Entity.connections` stays on the per-request loader (see connection-page.ts).
 */
import { BadUserInputError, UpstreamContractError } from '../errors.js';
import { decodeCursor, encodeCursor, pageOfEdges, pageSizeOf, readUpstream, resumeFromCursor, resumeToCursor, type Page, type UpstreamPage, type UpstreamResume } from '../lib/paging.js';
import type { Loaders } from '../loaders/index.js';
import type { Connection, ConnectionInContext } from '../models.js';
import { toConnection } from '../upstreams/zuora/mapper.js';
import { ZUORA_MAX_PAGES, ZUORA_PAGE_SIZE } from '../upstreams/zuora/paging.js';
import type { ConnectionPageArgs } from './connection-page.js';

/** A Zuora page position: 1-based page and the page size it was counted with. */
type ZuoraAt = [page: number, pageSize: number];

const isZuoraAt = (at: unknown): at is ZuoraAt =>
  Array.isArray(at) && at.length === 2 && at.every((n) => Number.isSafeInteger(n) && (n as number) >= 1) && (at[1] as number) <= ZUORA_PAGE_SIZE;

export function connectionListName(viewpoint: string, args: ConnectionPageArgs): string {
  // `zuora-connections`, not `connections`: offset cursors of Entity.connections must not fit here.
  return `zuora-connections:${viewpoint}:${args.direction ?? 'BOTH'}:${args.status ?? ''}`;
}

/** `first` and `after` checked, before any upstream call. */
export function connectionListArgs(viewpoint: string, args: ConnectionPageArgs): { first: number; from: UpstreamResume<ZuoraAt> } {
  const first = pageSizeOf(args.first);
  if (args.after === null || args.after === undefined) return { first, from: { at: [1, ZUORA_PAGE_SIZE], index: -1 } };
  const from = resumeFromCursor(decodeCursor(connectionListName(viewpoint, args), args.after), isZuoraAt);
  if (from === undefined) throw new BadUserInputError('after is not a cursor of this list; pass an endCursor this list returned');
  return { first, from };
}

export async function connectionListPage(loaders: Loaders, viewpoint: string, args: ConnectionPageArgs, requestId: string): Promise<Page<ConnectionInContext>> {
  const { first, from } = connectionListArgs(viewpoint, args);
  const direction = args.direction ?? 'BOTH';
  const zuora = loaders.clients.zuoraFor(viewpoint);
  const type = direction === 'INBOUND' ? 'inbound' : direction === 'OUTBOUND' ? 'outbound' : undefined;
  const fetchPage = async ([page, pageSize]: ZuoraAt): Promise<UpstreamPage<Connection, ZuoraAt>> => {
    const result = await zuora.listConnectionsPage({ entityId: viewpoint, requestId, page, pageSize, ...(type === undefined ? {} : { type }) });
    return { items: result.connections.map(toConnection), next: result.next === undefined ? undefined : [result.next.page, result.next.pageSize] };
  };
  // Zuora pages by offset, so a row may repeat across pages while the list changes: within one
  // read it is dropped here; across reads a cursor cannot know it (§1.5).
  const seen = new Set<string>();
  const keep = (c: Connection): boolean => {
    if (seen.has(c.id)) return false;
    seen.add(c.id);
    const sideOk = direction === 'BOTH' || (direction === 'OUTBOUND' ? c.sourceEntityId.toLowerCase() === viewpoint : c.targetEntityId.toLowerCase() === viewpoint);
    return sideOk && (args.status === null || args.status === undefined || c.status === args.status);
  };
  const read = await readUpstream(from, {
    first,
    fetchPage,
    keep,
    maxPages: ZUORA_MAX_PAGES,
    tooManyPages: () => new UpstreamContractError({ vendor: 'zuora', operation: 'listConnections', retryable: false, vendorCode: 'PAGING_NOT_ADVANCING' }),
  });
  const list = connectionListName(viewpoint, args);
  const edges = read.items.map(({ node, resume }) => ({ cursor: encodeCursor(list, resumeToCursor(resume), viewpoint), node: { ...node, viewpointEntityId: viewpoint } }));
  return pageOfEdges(edges, read.hasMore, args.after !== null && args.after !== undefined);
}
