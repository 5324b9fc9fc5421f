/**
 * Links by their global id's parts. Neither provider reads several links by id in one call
 * (m3ter has no id filter on its list; Rev.io's search takes one id), so each id is one call:
 * m3ter `GET /externalmappings/{id}`, Rev.io a search on `integration_key_link_id`.
 */
import DataLoader from 'dataloader';
import type { RequestGrant } from '../authorization/request-grant.js';
import { UpstreamNotFoundError } from '../errors.js';
import type { ExternalLink, Provider } from '../models.js';
import { externalLinkFromMapping } from '../upstreams/m3ter/mapper.js';
import { toExternalLink } from '../upstreams/revio/mapper.js';
import type { CatalogLoaders } from './catalog-loaders.js';
import { settleEach } from './settle-each.js';
import type { TenantClients } from './tenant-clients.js';
import { observed, type BatchObserver } from './observed-batch.js';

export interface LinkRef {
  provider: Provider;
  /** m3ter org id or Rev.io client code. */
  tenant: string;
  /** m3ter mapping UUID or Rev.io key-link id (decimal). */
  nativeId: string;
}

export const linkRefKey = (ref: LinkRef): string => `${ref.provider}\n${ref.tenant.toLowerCase()}\n${ref.nativeId}`;

export function createLinkByIdLoader(
  clients: TenantClients,
  catalogs: CatalogLoaders,
  grant: RequestGrant,
  requestId: string,
  observe?: BatchObserver,
): DataLoader<LinkRef, ExternalLink | null, string> {
  const load = async (ref: LinkRef): Promise<ExternalLink | null> => {
    // Resolvers check their arguments first; this guards every other path to a link.
    grant.requireLinkTenant(ref, 'id');
    switch (ref.provider) {
      case 'M3TER': {
        try {
          return externalLinkFromMapping(await clients.m3ter.getMapping({ id: ref.nativeId, requestId }), clients.m3ter.orgId);
        } catch (error) {
          if (error instanceof UpstreamNotFoundError) return null;
          throw error;
        }
      }
      case 'REVIO': {
        const [catalog, record] = await Promise.all([catalogs.revioCatalog.get(), clients.revio.getKeyLink({ id: Number(ref.nativeId), requestId })]);
        return record === undefined ? null : toExternalLink(record, clients.revio.clientCode, catalog.names);
      }
    }
  };
  return new DataLoader<LinkRef, ExternalLink | null, string>(
    observed('linkById', (refs) => settleEach(refs, load), observe),
    { cacheKeyFn: linkRefKey },
  );
}
