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
  /**
   * The entity at once, without a promise, once the list is in hand (null: no such entity);
   * undefined while it is not. A connection's two ends are asked for thousands of times in a big
   * graph, and each promise costs more than the lookup.
   */
  entityNow(id: string): Entity | null | undefined;
}

export function createEntityLoaders(providers: RequestProviders, actingEntityId: string, requestId: string, observe?: BatchObserver): EntityLoaders {
  let byId: Map<string, Entity> | undefined;
  const allEntities = lazy(async () => {
    const entities = await providers.zuora.entities(actingEntityId, { requestId });
    byId = new Map(entities.map((entity) => [entity.id.toLowerCase(), entity]));
    return entities;
  });
  const entityById = new DataLoader<string, Entity | null>(
    observed(
      'entityById',
      async (ids) => {
        await allEntities.get();
        // A missing entity is null, not an Error: the schema promises null for "no such entity".
        return ids.map((id) => byId?.get(id) ?? null);
      },
      observe,
    ),
    { maxBatchSize: ZUORA_ENTITY_LIMIT },
  );
  const entityNow = (id: string): Entity | null | undefined => (byId === undefined ? undefined : (byId.get(id) ?? null));
  return { allEntities, entityById, entityNow };
}
