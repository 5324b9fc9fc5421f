/**
 * Every link a provider holds for the tenant, read page by page at the vendor's largest page
 * (m3ter 200, Rev.io 500). Bounded: past AUDIT_MAX_LINKS the read stops with
 * REQUEST_BUDGET_EXCEEDED instead of holding an unbounded list, and each page is a vendor call
 * the request's own budget (maxVendorCalls) counts.
 */
import { RequestBudgetError } from '../errors.js';
import type { ExternalLink } from '../models.js';
import type { Call, LinkProvider } from '../upstreams/index.js';

/** Links per provider one audit reads at most: 100 m3ter pages, 40 Rev.io pages. */
export const AUDIT_MAX_LINKS = 20_000;

export async function readTenantLinks(provider: LinkProvider, call: Call): Promise<ExternalLink[]> {
  const read = await provider.linkPages({}, call);
  if (read === undefined) return [];
  const links: ExternalLink[] = [];
  let at: unknown = provider.linkPaging.start;
  for (let pages = 0; at !== undefined; pages++) {
    if (pages >= provider.linkPaging.maxPages || links.length > AUDIT_MAX_LINKS) {
      throw new RequestBudgetError('auditLinks', AUDIT_MAX_LINKS, `The link audit reads at most ${AUDIT_MAX_LINKS} links per provider; this ${provider.provider === 'M3TER' ? 'm3ter org' : 'Rev.io client'} holds more`);
    }
    const page = await read(at);
    links.push(...page.items);
    at = page.next;
  }
  return links;
}
