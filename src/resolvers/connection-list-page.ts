/**
 * `Query.connections`: one entity's connections read upstream a page at a time, so a page of
 * the list costs only the Zuora pages it needs. Direction goes upstream (Zuora filters it);
 * status cannot, so it is filtered here. The cursor is the directory's position of the last item
 * returned and its index in that page (or `'end'`), for the list named by entity, direction and
 * status. `Entity.connections` stays on the per-request loader (see connection-page.ts).
 */
import { BadUserInputError, UpstreamContractError } from '../errors.js';
import { decodeCursor, encodeCursor, pageOfEdges, pageSizeOf, readUpstream, resumeFromCursor, resumeToCursor, type Page, type UpstreamResume } from '../lib/paging.js';
import type { RequestProviders } from '../loaders/index.js';
import type { Connection, ConnectionInContext } from '../models.js';
import type { ConnectionPageArgs } from './connection-page.js';

export function connectionListName(viewpoint: string, args: ConnectionPageArgs): string {
  // `zuora-connections`, not `connections`: offset cursors of Entity.connections must not fit here.
  return `zuora-connections:${viewpoint}:${args.direction ?? 'BOTH'}:${args.status ?? ''}`;
}

/** `first` and `after` checked, before any upstream call. */
export function connectionListArgs(providers: RequestProviders, viewpoint: string, args: ConnectionPageArgs): { first: number; from: UpstreamResume<unknown> } {
  const first = pageSizeOf(args.first);
  const paging = providers.zuoraFor(viewpoint).connectionPaging;
  if (args.after === null || args.after === undefined) return { first, from: { at: paging.start, index: -1 } };
  const from = resumeFromCursor(decodeCursor(connectionListName(viewpoint, args), args.after, viewpoint), paging.isPosition);
  if (from === undefined) throw new BadUserInputError('after is not a cursor of this list; pass an endCursor this list returned');
  return { first, from };
}

export async function connectionListPage(providers: RequestProviders, viewpoint: string, args: ConnectionPageArgs, requestId: string): Promise<Page<ConnectionInContext>> {
  const { first, from } = connectionListArgs(providers, viewpoint, args);
  const direction = args.direction ?? 'BOTH';
  const directory = providers.zuoraFor(viewpoint);
  const paging = directory.connectionPaging;
  // Zuora pages by offset, so a row may repeat across pages while the list changes: within one
  // read it is dropped here; across reads a cursor cannot know it.
  const seen = new Set<string>();
  const keep = (c: Connection): boolean => {
    if (seen.has(c.id)) return false;
    seen.add(c.id);
    const sideOk = direction === 'BOTH' || (direction === 'OUTBOUND' ? c.sourceEntityId.toLowerCase() === viewpoint : c.targetEntityId.toLowerCase() === viewpoint);
    return sideOk && (args.status === null || args.status === undefined || c.status === args.status);
  };
  const read = await readUpstream(from, {
    first,
    fetchPage: directory.connectionPages(viewpoint, direction, { requestId }),
    keep,
    maxPages: paging.maxPages,
    tooManyPages: () => new UpstreamContractError({ vendor: paging.vendor, operation: paging.operation, retryable: false, vendorCode: 'PAGING_NOT_ADVANCING' }),
  });
  const list = connectionListName(viewpoint, args);
  const edges = read.items.map(({ node, resume }) => ({ cursor: encodeCursor(list, resumeToCursor(resume), viewpoint), node: { ...node, viewpointEntityId: viewpoint } }));
  return pageOfEdges(edges, read.hasMore, args.after !== null && args.after !== undefined);
}
