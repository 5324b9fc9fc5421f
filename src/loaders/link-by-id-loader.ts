/**
 * Links by their global id's parts. Neither provider reads several links by id in one call, so
 * each id is one call to its provider; the loader still makes it one per id per request.
 */
import DataLoader from 'dataloader';
import type { RequestGrant } from '../authorization/request-grant.js';
import type { ExternalLink, Provider } from '../models.js';
import type { RequestProviders } from './request-providers.js';
import { settleEach } from './settle-each.js';
import { observed, type BatchObserver } from './observed-batch.js';

export interface LinkRef {
  provider: Provider;
  /** m3ter org id or Rev.io client code. */
  tenant: string;
  /** m3ter mapping UUID or Rev.io key-link id (decimal). */
  nativeId: string;
}

export const linkRefKey = (ref: LinkRef): string => `${ref.provider}\n${ref.tenant.toLowerCase()}\n${ref.nativeId}`;

export function createLinkByIdLoader(providers: RequestProviders, grant: RequestGrant, requestId: string, observe?: BatchObserver): DataLoader<LinkRef, ExternalLink | null, string> {
  const load = (ref: LinkRef): Promise<ExternalLink | null> => {
    // Resolvers check their arguments first; this guards every other path to a link.
    grant.requireLinkTenant(ref, 'id');
    return providers.links(ref.provider).link(ref.nativeId, { requestId });
  };
  return new DataLoader<LinkRef, ExternalLink | null, string>(observed('linkById', (refs) => settleEach(refs, load), observe), { cacheKeyFn: linkRefKey });
}
