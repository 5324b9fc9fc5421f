/**
 * `Query.externalLinks` as a Relay page read upstream: m3ter's links first, then Rev.io's, so a
 * page costs only the provider pages it needs (Rev.io is not asked until m3ter's list is done).
 * The cursor carries both positions, `[m3ter, revio]`, each `'end'` or `[at, index]`: the
 * provider page (m3ter: the nextToken that produced it, null for the first; Rev.io: the page
 * number) and the index of the last item returned in it (-1: none yet). A provider filter sets
 * the other side to `'end'`.
 */
import { BadUserInputError, GatewayError, UpstreamContractError } from '../errors.js';
import { decodeCursor, encodeCursor, pageOfEdges, pageSizeOf, readUpstream, resumeFromCursor, resumeToCursor, type Page, type UpstreamRead, type UpstreamResume } from '../lib/paging.js';
import type { RequestGrant } from '../authorization/request-grant.js';
import type { Loaders } from '../loaders/index.js';
import type { ExternalLink } from '../models.js';
import { M3TER_MAX_PAGES } from '../upstreams/m3ter/paging.js';
import { REVIO_MAX_PAGES } from '../upstreams/revio/paging.js';
import type { ExternalLinkFilter } from '../__generated__/graphql.js';
import { isCallerFacing } from './links-from-providers.js';
import { isM3terAt, isRevioAt, m3terLinkPages, matches, revioLinkPages, type M3terAt, type RevioAt } from './external-link-list.js';

interface Position {
  m3ter: UpstreamResume<M3terAt>;
  revio: UpstreamResume<RevioAt>;
}

export interface ExternalLinkPageArgs {
  filter: ExternalLinkFilter;
  first?: number | null;
  after?: string | null;
}

/** The list a cursor belongs to: the whole filter, provider included. */
export const externalLinkListName = (filter: ExternalLinkFilter): string => `externalLinks:${JSON.stringify(filter)}`;

/** `first` and `after` checked, before any upstream call. */
export function externalLinkPageArgs({ filter, first, after }: ExternalLinkPageArgs): { first: number; from: Position } {
  const size = pageSizeOf(first);
  if (after === null || after === undefined) {
    return {
      first: size,
      from: { m3ter: filter.provider === 'REVIO' ? 'end' : { at: null, index: -1 }, revio: filter.provider === 'M3TER' ? 'end' : { at: 1, index: -1 } },
    };
  }
  const decoded = decodeCursor(externalLinkListName(filter), after);
  const [m3ter, revio] = Array.isArray(decoded) && decoded.length === 2 ? [resumeFromCursor(decoded[0], isM3terAt), resumeFromCursor(decoded[1], isRevioAt)] : [];
  if (m3ter === undefined || revio === undefined) throw new BadUserInputError('after is not a cursor of this list; pass an endCursor this list returned');
  return { first: size, from: { m3ter, revio } };
}

const stuck = (vendor: 'm3ter' | 'revio', operation: string) => () => new UpstreamContractError({ vendor, operation, retryable: false, vendorCode: 'PAGING_NOT_ADVANCING' });

/**
 * With `onProviderFailure`, a page that asks both providers survives one of them failing: it
 * answers the other's links and hands over the failure (an error the caller can act on; a bug
 * still fails the page). When m3ter failed, the cursors keep its unread position, so the next
 * page asks it again; `hasNextPage` says only what the provider that answered knows.
 */
export async function externalLinkPage(
  loaders: Loaders,
  grant: RequestGrant,
  args: ExternalLinkPageArgs,
  requestId: string,
  onProviderFailure?: (error: GatewayError) => void,
): Promise<Page<ExternalLink>> {
  // A provider the key has no grant at is left out, as a provider filter would (an explicit one is refused first).
  const providers = grant.linkProviders();
  const filter: ExternalLinkFilter = args.filter.provider || providers.length !== 1 ? args.filter : { ...args.filter, provider: providers[0]! };
  const { first, from } = externalLinkPageArgs({ ...args, filter: args.filter });
  if (!providers.includes('M3TER')) from.m3ter = 'end';
  if (!providers.includes('REVIO')) from.revio = 'end';
  const keep = (link: ExternalLink) => matches(link, filter);
  const list = externalLinkListName(args.filter);
  const scope = grant.cursorScope('links');
  const edges: { cursor: string; node: ExternalLink }[] = [];
  const cursorOf = (position: Position) => encodeCursor(list, [resumeToCursor(position.m3ter), resumeToCursor(position.revio)], scope);

  // Both asked: one may fail without failing the page (see above).
  const survivable = onProviderFailure !== undefined && from.m3ter !== 'end' && from.revio !== 'end';
  let m3terFailure: GatewayError | undefined;
  let m3ter: UpstreamRead<ExternalLink, M3terAt> = { items: [], hasMore: false };
  if (from.m3ter !== 'end') {
    try {
      m3ter = await readUpstream(from.m3ter, { first, fetchPage: m3terLinkPages(loaders, filter, requestId), keep, maxPages: M3TER_MAX_PAGES, tooManyPages: stuck('m3ter', 'listMappings') });
    } catch (error) {
      if (!survivable || !isCallerFacing(error)) throw error;
      m3terFailure = error;
    }
  }
  for (const { node, resume } of m3ter.items) edges.push({ cursor: cursorOf({ m3ter: resume, revio: from.revio }), node });
  let hasMore = m3ter.hasMore;
  // m3ter is done for this filter once it has no more to give: Rev.io fills the rest, plus one to see past the page.
  if (!hasMore && from.revio !== 'end') {
    try {
      const fetchPage = await revioLinkPages(loaders, filter, requestId);
      if (fetchPage !== undefined) {
        const revio = await readUpstream(from.revio, { first: first - edges.length, fetchPage, keep, maxPages: REVIO_MAX_PAGES, tooManyPages: stuck('revio', 'searchKeyLinks') });
        const m3terAfter = m3terFailure === undefined ? 'end' : from.m3ter;
        for (const { node, resume } of revio.items) edges.push({ cursor: cursorOf({ m3ter: m3terAfter, revio: resume }), node });
        hasMore = revio.hasMore;
      }
    } catch (error) {
      if (!survivable || !isCallerFacing(error)) throw error;
      // Both failed: the first failure is the page's error.
      if (m3terFailure !== undefined) throw m3terFailure;
      onProviderFailure(error);
    }
  }
  if (m3terFailure !== undefined) onProviderFailure?.(m3terFailure);
  return pageOfEdges(edges, hasMore, args.after !== null && args.after !== undefined);
}
