/**
 * Zuora entity connections for one request. Zuora lists the connections of the acting entity
 * only, and has no endpoint for several entities at once, so each entity costs one list (both
 * directions in one walk, every page, 300 rows a page); the loader makes sure it is one per
 * entity per request however many fields ask.
 */
import DataLoader from 'dataloader';
import type { Connection } from '../models.js';
import { toConnection } from '../upstreams/zuora/mapper.js';
import { settleEach } from './settle-each.js';
import type { TenantClients } from './tenant-clients.js';
import { observed, type BatchObserver } from './observed-batch.js';

export interface ConnectionLoaders {
  /** Every connection of an entity (32 lower-case hex), both directions, oldest first. */
  connectionsOf: DataLoader<string, Connection[]>;
}

export function createConnectionLoaders(clients: TenantClients, requestId: string, observe?: BatchObserver): ConnectionLoaders {
  const connectionsOf = new DataLoader<string, Connection[]>(
    observed(
      'connectionsOf',
      (entityIds) =>
        settleEach(entityIds, async (entityId) => {
          const records = await clients.zuoraFor(entityId).listAllConnections({ entityId, requestId });
          return records.map(toConnection);
        }),
      observe,
    ),
  );
  return { connectionsOf };
}
