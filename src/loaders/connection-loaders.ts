/**
 * Zuora entity connections for one request. Zuora lists the connections of the acting entity
 * only, and has no endpoint for several entities at once, so each entity costs one list (both
 * directions in one walk, every page); the loader makes sure it is one per entity per request
 * however many fields ask.
 */
import DataLoader from 'dataloader';
import type { Connection } from '../models.js';
import { settleEach } from './settle-each.js';
import type { RequestProviders } from './request-providers.js';
import { observed, type BatchObserver } from './observed-batch.js';

export interface ConnectionLoaders {
  /** Every connection of an entity (32 lower-case hex), both directions, oldest first. */
  connectionsOf: DataLoader<string, Connection[]>;
}

export function createConnectionLoaders(providers: RequestProviders, requestId: string, observe?: BatchObserver): ConnectionLoaders {
  const connectionsOf = new DataLoader<string, Connection[]>(
    observed('connectionsOf', (entityIds) => settleEach(entityIds, (entityId) => providers.zuoraFor(entityId).connectionsOf(entityId, { requestId })), observe),
  );
  return { connectionsOf };
}
