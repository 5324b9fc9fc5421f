/**
 * `Query.externalLinks` as a Relay page read upstream: each link provider in turn, in registry
 * order (m3ter, then Rev.io: upstreams/registry.ts), so a page costs only the provider pages it needs (Rev.io is not asked until m3ter's
 * list is done). The cursor carries one position per provider, each `'end'` or `[at, index]`:
 * the provider's page position and the index of the last item returned in it (-1: none yet). A
 * provider filter sets the others to `'end'`.
 */
import { BadUserInputError, GatewayError, UpstreamContractError } from '../errors.js';
import { decodeCursor, encodeCursor, pageOfEdges, pageSizeOf, readUpstream, resumeFromCursor, resumeToCursor, type Page, type UpstreamResume } from '../lib/paging.js';
import type { RequestGrant } from '../authorization/request-grant.js';
import type { RequestProviders } from '../loaders/index.js';
import type { ExternalLink, LinkFilter, Provider } from '../models.js';
import type { Paging } from '../upstreams/index.js';
import type { ExternalLinkFilter } from '../__generated__/graphql.js';
import { isCallerFacing } from './links-from-providers.js';

type Position = UpstreamResume<unknown>[];

export interface ExternalLinkPageArgs {
  filter: ExternalLinkFilter;
  first?: number | null;
  after?: string | null;
}

/** The list a cursor belongs to: the whole filter, provider included. */
export const externalLinkListName = (filter: ExternalLinkFilter): string => `externalLinks:${JSON.stringify(filter)}`;

/**
 * `first` and `after` (of this `scope`) checked, before any upstream call. `providers` are the list's link providers
 * in list order and `pagings` each one's paging, undefined for one the key holds no grant at: that
 * one is `'end'` whatever the cursor says.
 */
export function externalLinkPageArgs(
  providers: readonly Provider[],
  pagings: readonly (Paging<unknown> | undefined)[],
  { filter, first, after }: ExternalLinkPageArgs,
  scope: string,
): { first: number; from: Position } {
  const size = pageSizeOf(first);
  if (after === null || after === undefined) {
    return { first: size, from: pagings.map((paging, i) => (paging === undefined || (filter.provider && filter.provider !== providers[i]) ? 'end' : { at: paging.start, index: -1 })) };
  }
  const decoded = decodeCursor(externalLinkListName(filter), after, scope);
  const from = Array.isArray(decoded) && decoded.length === pagings.length ? decoded.map((value, i) => resumeFromCursor(value, pagings[i]?.isPosition ?? isAnything)) : [];
  if (from.length !== pagings.length || from.includes(undefined)) throw new BadUserInputError('after is not a cursor of this list; pass an endCursor this list returned');
  return { first: size, from: from.map((resume, i) => (pagings[i] === undefined ? 'end' : resume!)) };
}

const isAnything = (at: unknown): at is unknown => at !== undefined;

const same = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

/** The whole filter, re-checked on every link a provider returns (system and type names any case, ids exactly). */
export function matches(link: ExternalLink, f: ExternalLinkFilter): boolean {
  return (
    (!f.provider || link.provider === f.provider) &&
    (!f.externalSystem || same(link.external.system, f.externalSystem)) &&
    (!f.externalTable || same(link.external.type, f.externalTable)) &&
    (!f.externalId || link.external.id === f.externalId) &&
    (!f.internalType || same(link.internal.type, f.internalType)) &&
    (!f.internalId || link.internal.id === f.internalId)
  );
}

/**
 * With `onProviderFailure`, a page that asks several providers survives one of them failing: it
 * answers the others' links and hands over the failure (an error the caller can act on; a bug
 * still fails the page). A failed provider keeps its unread position in the cursors, so the next
 * page asks it again; `hasNextPage` says only what the providers that answered know.
 */
export async function externalLinkPage(
  providers: RequestProviders,
  grant: RequestGrant,
  args: ExternalLinkPageArgs,
  requestId: string,
  onProviderFailure?: (error: GatewayError) => void,
): Promise<Page<ExternalLink>> {
  // A provider the key has no grant at is left out, as a provider filter would (an explicit one is refused first).
  const granted = grant.linkProviders();
  const filter: ExternalLinkFilter = args.filter.provider || granted.length !== 1 ? args.filter : { ...args.filter, provider: granted[0]! };
  const order = providers.linkProviders;
  const pagings = order.map((provider) => (granted.includes(provider) ? providers.links(provider).linkPaging : undefined));
  const scope = grant.cursorScope('links');
  const { first, from } = externalLinkPageArgs(order, pagings, args, scope);
  const keep = (link: ExternalLink) => matches(link, filter);
  const list = externalLinkListName(args.filter);
  const edges: { cursor: string; node: ExternalLink }[] = [];
  const cursorOf = (position: Position) => encodeCursor(list, position.map(resumeToCursor), scope);

  // Several asked: one may fail without failing the page (see above).
  const survivable = onProviderFailure !== undefined && from.filter((resume) => resume !== 'end').length > 1;
  const failures: GatewayError[] = [];
  // Where each provider stands once this page is cut: a failed one stays where it was.
  const after: Position = [...from];
  let hasMore = false;
  for (const [i, provider] of order.entries()) {
    const start = from[i]!;
    // An earlier provider with more to give fills the page first.
    if (start === 'end' || hasMore) continue;
    try {
      const links = providers.links(provider);
      const fetchPage = await links.linkPages(providerFilter(filter, provider), { requestId });
      if (fetchPage === undefined) {
        after[i] = 'end';
        continue;
      }
      // Plus one to see past the page.
      const read = await readUpstream(start, { first: first - edges.length, fetchPage, keep, maxPages: links.linkPaging.maxPages, tooManyPages: stuck(links.linkPaging) });
      for (const { node, resume } of read.items) {
        after[i] = resume;
        edges.push({ cursor: cursorOf(after), node });
      }
      after[i] = read.hasMore ? after[i]! : 'end';
      hasMore = read.hasMore;
    } catch (error) {
      if (!survivable || !isCallerFacing(error)) throw error;
      failures.push(error);
    }
  }
  // Every provider asked failed: the first failure is the page's error.
  if (failures.length > 0 && failures.length === from.filter((resume) => resume !== 'end').length) throw failures[0];
  for (const failure of failures) onProviderFailure?.(failure);
  return pageOfEdges(edges, hasMore, args.after !== null && args.after !== undefined);
}

/** The filter as one provider is asked it: whether it was asked alone decides "no match" versus bad input. */
function providerFilter(f: ExternalLinkFilter, provider: Provider): LinkFilter {
  const filter: LinkFilter = { onlyThisProvider: f.provider === provider };
  if (f.externalSystem) filter.externalSystem = f.externalSystem;
  if (f.externalTable) filter.externalTable = f.externalTable;
  if (f.externalId) filter.externalId = f.externalId;
  if (f.internalType) filter.internalType = f.internalType;
  if (f.internalId) filter.internalId = f.internalId;
  return filter;
}

const stuck = (paging: Paging<unknown>) => () => new UpstreamContractError({ vendor: paging.vendor, operation: paging.operation, retryable: false, vendorCode: 'PAGING_NOT_ADVANCING' });
