/**
 * Zuora Multi-entity as the gateway's entity directory, for one OAuth client. Entity and
 * connection records become domain models here; the client, its paging and its wire names stay
 * in this folder.
 */
import { UpstreamContractError } from '../../errors.js';
import type { Connection, ConnectionDirection } from '../../models.js';
import type { EntityDirectory, Paging } from '../providers.js';
import type { ZuoraClient } from './client.js';
import { toConnection, toEntity } from './mapper.js';
import { ZUORA_MAX_PAGES, ZUORA_PAGE_SIZE } from './paging.js';

/** A connection-list position: the 1-based page and the page size it was counted with. */
type ZuoraAt = [page: number, pageSize: number];

const connectionPaging: Paging<ZuoraAt> = {
  vendor: 'zuora',
  operation: 'listConnections',
  start: [1, ZUORA_PAGE_SIZE],
  maxPages: ZUORA_MAX_PAGES,
  isPosition: (at: unknown): at is ZuoraAt =>
    Array.isArray(at) && at.length === 2 && at.every((n) => Number.isSafeInteger(n) && (n as number) >= 1) && (at[1] as number) <= ZUORA_PAGE_SIZE,
};

/** Zuora's `type` filter of the connection list; both directions is no filter. */
const TYPE_OF: Record<ConnectionDirection, 'inbound' | 'outbound' | undefined> = { INBOUND: 'inbound', OUTBOUND: 'outbound', BOTH: undefined };

export function zuoraEntityDirectory(client: ZuoraClient): EntityDirectory {
  return {
    entities: async (actingEntityId, { requestId }) => (await client.listEntities({ entityId: actingEntityId, requestId })).map(toEntity),

    connectionsOf: async (entityId, { requestId }) => (await client.listAllConnections({ entityId, requestId })).map(toConnection),

    connectionPaging: connectionPaging as Paging<unknown>,

    connectionPages(entityId, direction, { requestId }) {
      const type = TYPE_OF[direction];
      return async (at) => {
        const [page, pageSize] = at as ZuoraAt;
        const result = await client.listConnectionsPage({ entityId, requestId, page, pageSize, ...(type === undefined ? {} : { type }) });
        const next: ZuoraAt | undefined = result.next === undefined ? undefined : [result.next.page, result.next.pageSize];
        return { items: result.connections.map(toConnection) as Connection[], next };
      };
    },

    async initiateConnection({ sourceEntityId, targetEntityId, clientMutationId, callerKeyId }, { requestId }) {
      const created = await client.initiateConnection({
        entityId: sourceEntityId,
        targetEntityId,
        requestId,
        ...(clientMutationId === undefined ? {} : { clientMutationId, ...(callerKeyId === undefined ? {} : { callerKeyId }) }),
      });
      if (typeof created.id !== 'string' || created.id === '') {
        throw new UpstreamContractError({ vendor: 'zuora', operation: 'initiateConnection', retryable: false, vendorCode: 'MISSING_ID' });
      }
      return { id: created.id.toLowerCase() };
    },

    async transitionConnection(kind, { actingEntityId, connectionId }, { requestId }) {
      await client[kind]({ entityId: actingEntityId, connectionId, requestId });
    },

    async probe(actingEntityId, { requestId }) {
      // Readiness must hear from Zuora now, not from a read another request started.
      await client.listEntities({ entityId: actingEntityId, requestId, probe: true });
    },
  };
}
