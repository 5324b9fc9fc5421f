/**
 * Rev.io key links whose external end is a given record. Rev.io's search takes one value per
 * field (CONTRACTS §3.3), so a batch of many ids makes one broad search on the system (500 a
 * page, every page) and keeps the wanted ids here. A batch of one id is cheaper as an exact
 * search on `external_id`: one call, whatever the size of the system. The client re-checks
 * every record, `external_id` case-sensitively.
 */
import DataLoader from 'dataloader';
import type { ExternalLink } from '../models.js';
import type { KeyLinkRecord } from '../upstreams/revio/client.js';
import { toExternalLink } from '../upstreams/revio/mapper.js';
import type { CatalogLoaders } from './catalog-loaders.js';
import { externalRecordCacheKey, type ExternalRecordKey } from './external-record-key.js';
import { groupBy } from './group-by.js';
import { asError } from './settle-each.js';
import type { TenantClients } from './tenant-clients.js';
import { observed, type BatchObserver } from './observed-batch.js';

export function createRevioLinkLoader(
  clients: TenantClients,
  catalogs: CatalogLoaders,
  requestId: string,
  observe?: BatchObserver,
): DataLoader<ExternalRecordKey, ExternalLink[], string> {
  return new DataLoader<ExternalRecordKey, ExternalLink[], string>(
    observed(
      'revioLinksTo',
      async (keys) => {
        // Taken per batch, not per request: a key without a Rev.io grant fails only the fields that ask.
        const { revio } = clients;
        const catalog = await catalogs.revioCatalog.get();
        const bySystem = groupBy(keys, (key) => key.system.toLowerCase());
        const answers = new Map<string, ExternalLink[] | Error>();
        await Promise.all(
          [...bySystem.values()].map(async (group) => {
            const name = group[0]!.system;
            // Links to Zuora use the system the config names for it (INTERLINK_REVIO_SYSTEM_ZUORA).
            const systemId = name.toLowerCase() === 'zuora' ? catalog.linkedSystems.zuora : catalog.systemId(name);
            // A system this tenant does not have cannot hold links: nothing to ask.
            if (systemId === undefined) return;
            try {
              const records: KeyLinkRecord[] =
                group.length === 1
                  ? await revio.searchKeyLinks({ requestId, search: { integration_system_id: systemId, external_id: group[0]!.id } })
                  : await revio.findKeyLinks({ requestId, systemId, externalIds: group.map((key) => key.id) });
              const links = records.map((record) => toExternalLink(record, revio.clientCode, catalog.names));
              const byId = groupBy(links, (link) => link.external.id);
              for (const key of group) answers.set(externalRecordCacheKey(key), byId.get(key.id) ?? []);
            } catch (error) {
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
