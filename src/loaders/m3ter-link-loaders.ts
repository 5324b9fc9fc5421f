/**
 * m3ter mappings whose external end is a given record. m3ter cannot filter on several external
 * ids at once (CONTRACTS §2.2), and its by-record lookup (row 6) needs the external table, which
 * a cross-system lookup does not have; so each batch makes one list per external system
 * (`externalSystemId=<name>`, 200 a page, every page) and keeps the wanted ids here. Twenty
 * Zuora entities cost one list, not twenty.
 */
import DataLoader from 'dataloader';
import type { ExternalLink } from '../models.js';
import { externalLinkFromMapping } from '../upstreams/m3ter/mapper.js';
import type { CatalogLoaders } from './catalog-loaders.js';
import { externalRecordCacheKey, type ExternalRecordKey } from './external-record-key.js';
import { groupBy } from './group-by.js';
import { asError } from './settle-each.js';
import type { TenantClients } from './tenant-clients.js';
import { observed, type BatchObserver } from './observed-batch.js';

export function createM3terLinkLoader(
  clients: TenantClients,
  catalogs: CatalogLoaders,
  requestId: string,
  observe?: BatchObserver,
): DataLoader<ExternalRecordKey, ExternalLink[], string> {
  return new DataLoader<ExternalRecordKey, ExternalLink[], string>(
    observed(
      'm3terLinksTo',
      async (keys) => {
        // Taken per batch, not per request: a key without an m3ter grant fails only the fields that ask.
        const { m3ter } = clients;
        const bySystem = groupBy(keys, (key) => key.system.toLowerCase());
        const answers = new Map<string, ExternalLink[] | Error>();
        await Promise.all(
          [...bySystem.values()].map(async (group) => {
            const wanted = new Set(group.map((key) => key.id));
            try {
              const externalSystem = await catalogs.m3terSystemName(group[0]!.system);
              const mappings = await m3ter.listAllMappings({ externalSystem, requestId });
              const links = mappings.filter((mapping) => wanted.has(mapping.externalId)).map((mapping) => externalLinkFromMapping(mapping, m3ter.orgId));
              const byId = groupBy(links, (link) => link.external.id);
              for (const key of group) answers.set(externalRecordCacheKey(key), byId.get(key.id) ?? []);
            } catch (error) {
              // This system's list failed: its keys get the error, other systems' keys their links.
              for (const key of group) answers.set(externalRecordCacheKey(key), asError(error));
            }
          }),
        );
        return keys.map((key) => answers.get(externalRecordCacheKey(key)) ?? []);
      },
      observe,
    ),
    { cacheKeyFn: externalRecordCacheKey },
  );
}
