/**
 * One provider's links whose external end is a given record. A batch is grouped by external
 * system and each system asked once, in the fewest calls the provider's API allows for those ids
 * (links-to is the provider's to plan): twenty Zuora entities cost one list, not twenty.
 */
import DataLoader from 'dataloader';
import type { ExternalLink, Provider } from '../models.js';
import { externalRecordCacheKey, type ExternalRecordKey } from './external-record-key.js';
import { groupBy } from './group-by.js';
import type { RequestProviders } from './request-providers.js';
import { asError } from './settle-each.js';
import { observed, type BatchObserver } from './observed-batch.js';

/** Batch names for metrics: `m3terLinksTo`, `revioLinksTo`. */
const BATCH_NAME: Record<Provider, string> = { M3TER: 'm3terLinksTo', REVIO: 'revioLinksTo' };

export function createLinksToLoader(
  provider: Provider,
  providers: RequestProviders,
  requestId: string,
  observe?: BatchObserver,
): DataLoader<ExternalRecordKey, ExternalLink[], string> {
  return new DataLoader<ExternalRecordKey, ExternalLink[], string>(
    observed(
      BATCH_NAME[provider],
      async (keys) => {
        // Taken per batch, not per request: a key without a grant there fails only the fields that ask.
        const links = providers.links(provider);
        const answers = new Map<string, ExternalLink[] | Error>();
        await Promise.all(
          [...groupBy(keys, (key) => key.system.toLowerCase()).values()].map(async (group) => {
            try {
              const found = await links.linksTo(group[0]!.system, [...new Set(group.map((key) => key.id))], { requestId });
              const byId = groupBy(found, (link) => link.external.id);
              for (const key of group) answers.set(externalRecordCacheKey(key), byId.get(key.id) ?? []);
            } catch (error) {
              // This system's read failed: its keys get the error, other systems' keys their links.
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
