/**
 * Zuora entities for one request. Zuora answers every entity of the tenant in one unpaged list
 * (at most 300), so the list is loaded once per request and every by-id lookup, parent and child
 * is answered from it: any number of entities, one call.
 */
import DataLoader from 'dataloader';
import type { Entity } from '../models.js';
import { lazy, type Lazy } from './lazy.js';
import type { RequestProviders } from './request-providers.js';
import { observed, type BatchObserver } from './observed-batch.js';

/** Zuora's cap on an unpaged list: a batch can never need more. */
export const ZUORA_ENTITY_LIMIT = 300;

export interface EntityLoaders {
  /** Every entity of the tenant, in Zuora's order (root first). */
  allEntities: Lazy<Entity[]>;
  /** By 32 lower-case hex id; null when the tenant has no such entity. */
  entityById: DataLoader<string, Entity | null>;
}

export function createEntityLoaders(providers: RequestProviders, actingEntityId: string, requestId: string, observe?: BatchObserver): EntityLoaders {
  const allEntities = lazy(() => providers.zuora.entities(actingEntityId, { requestId }));
  const entityById = new DataLoader<string, Entity | null>(
    observed(
      'entityById',
      async (ids) => {
        const byId = new Map((await allEntities.get()).map((entity) => [entity.id.toLowerCase(), entity]));
        // A missing entity is null, not an Error: the schema promises null for "no such entity".
        return ids.map((id) => byId.get(id) ?? null);
      },
      observe,
    ),
    { maxBatchSize: ZUORA_ENTITY_LIMIT },
  );
  return { allEntities, entityById };
}
