/**
 * The Zuora Multi-entity client for one OAuth client: the calls the gateway makes (the entity
 * list and the connection lifecycle), returning Zuora's own shapes (`mapper.ts` turns them into
 * domain models). Every method names its acting entity; the client sends it, the bearer token
 * and the gateway request id, and the shared base retries and classifies (http.ts, classify.ts).
 *
 * Writes that may have been applied by an attempt whose answer was lost are settled here: the
 * POST carries an `Idempotency-Key`, and a retried PUT whose last answer says "already done" is
 * checked against the connection's current status.
 */
import type { components } from './types.generated.js';
import { collectPages } from '../../lib/page-through.js';
import { CONNECTIONS_PATH, pageSizeOf, positionOf, requestAt, unexpectedNextPage } from './connection-position.js';
import { compactZuoraId } from './entity-id-forms.js';
import { idempotencyKeyFor } from './idempotency-key.js';
import { firstZuoraPage, nextZuoraPage, zuoraPages, type ZuoraPageBody, type ZuoraPageRequest } from './paging.js';
import { isRetriedConflict } from './retried-failure.js';
import { createZuoraHttp, type ZuoraHttpOptions } from './zuora-http.js';
import { createZuoraSender } from './zuora-send.js';
import { connectionsBody, entitiesBody } from './zuora-bodies.js';
import type {
  ZuoraCallOptions,
  ZuoraConnection,
  ZuoraConnectionCreated,
  ZuoraConnectionDirection,
  ZuoraConnectionPage,
  ZuoraConnectionPosition,
  ZuoraEntity,
  ZuoraPostOptions,
  ZuoraSuccess,
} from './zuora-types.js';

export type ZuoraClientOptions = ZuoraHttpOptions;

type EntitiesBody = components['schemas']['GETEntitiesResponseType'];
type ConnectionsBody = components['schemas']['GETEntityConnectionsResponseType'];

/** Filters of a walk over every connection page. */
export interface ZuoraConnectionFilter extends ZuoraCallOptions {
  type?: ZuoraConnectionDirection;
  /** Rows per page (default and maximum 300). */
  pageSize?: number;
}

export interface ZuoraConnectionRef extends ZuoraCallOptions {
  /** 32 hex characters (or hyphenated). */
  connectionId: string;
}

export interface ZuoraClient {
  /** `GET /v1/entities`: every entity of the tenant (unpaged, at most 300). */
  listEntities(options: ZuoraCallOptions & { provisioned?: boolean }): Promise<ZuoraEntity[]>;
  /** One page of the acting entity's connections, with the position of the next page. */
  listConnectionsPage(options: ZuoraCallOptions & Partial<ZuoraConnectionPosition>): Promise<ZuoraConnectionPage>;
  /** Every connection, every page, deduplicated by id (rows can repeat while the list changes). */
  listAllConnections(options: ZuoraConnectionFilter): Promise<ZuoraConnection[]>;
  /** A Pending connection from the acting entity to `targetEntityId`; answers its id. */
  initiateConnection(options: ZuoraPostOptions & { targetEntityId: string }): Promise<ZuoraConnectionCreated>;
  acceptConnection(options: ZuoraConnectionRef): Promise<ZuoraSuccess>;
  denyConnection(options: ZuoraConnectionRef): Promise<ZuoraSuccess>;
  disconnectConnection(options: ZuoraConnectionRef): Promise<ZuoraSuccess>;
  /** Closes idle sockets. */
  close(): void;
}

type Transition = 'accept' | 'deny' | 'disconnect';

/** The status each transition leads to (a denied connection is Disconnected). */
const TARGET_STATUS: Record<Transition, string> = { accept: 'Connected', deny: 'Disconnected', disconnect: 'Disconnected' };

export function createZuoraClient(options: ZuoraClientOptions): ZuoraClient {
  const { tenant } = options;
  const http = createZuoraHttp(options);
  const { actingEntity, send } = createZuoraSender(http, tenant);

  const keyFor = (operation: string, call: ZuoraPostOptions): string =>
    idempotencyKeyFor({
      clientId: tenant.clientId,
      entityId: actingEntity(call.entityId),
      operation,
      ...(call.callerKeyId === undefined ? {} : { callerKeyId: call.callerKeyId }),
      ...(call.clientMutationId === undefined ? {} : { clientMutationId: call.clientMutationId }),
    });

  const fetchConnections = async (call: ZuoraCallOptions, request: ZuoraPageRequest): Promise<ZuoraPageBody<ZuoraConnection>> => {
    // `nextPage` comes from Zuora; follow it only within the connection list.
    if (request.path !== CONNECTIONS_PATH) throw unexpectedNextPage();
    const body = await send<ConnectionsBody>(call, { method: 'GET', path: request.path, operation: 'listConnections', searchParams: request.searchParams });
    return connectionsBody(body, 'listConnections');
  };

  const connectionPages = (filter: ZuoraConnectionFilter): AsyncGenerator<ZuoraConnection[], void, undefined> => {
    const first = firstZuoraPage(CONNECTIONS_PATH, filter.type === undefined ? {} : { type: filter.type });
    first.searchParams.set('pageSize', String(pageSizeOf(filter.pageSize)));
    return zuoraPages(first, (request) => fetchConnections(filter, request));
  };

  const listAllConnections = (filter: ZuoraConnectionFilter) => collectPages(connectionPages(filter));

  const transition = (kind: Transition) => async (ref: ZuoraConnectionRef): Promise<ZuoraSuccess> => {
    const id = compactZuoraId(ref.connectionId, 'connectionId');
    const operation = `${kind}Connection`;
    try {
      return await send<ZuoraSuccess>(ref, { method: 'PUT', path: `${CONNECTIONS_PATH}/${id}/${kind}`, operation, emptyOk: true });
    } catch (error) {
      if (!isRetriedConflict(error)) throw error;
      // An earlier attempt may have made the change and lost its answer: re-read before reporting.
      const current = (await listAllConnections(ref)).find((connection) => connection.id?.toLowerCase() === id);
      if (sameStatus(current?.status, TARGET_STATUS[kind])) return { success: true };
      throw error;
    }
  };

  return {
    async listEntities(call) {
      // A string upstream, not a boolean. No query at all without it: got works on every one it is given.
      const searchParams = call.provisioned === undefined ? undefined : new URLSearchParams({ provisioned: String(call.provisioned) });
      const body = await send<EntitiesBody>(call, { method: 'GET', path: 'v1/entities', operation: 'listEntities', ...(searchParams && { searchParams }) });
      return entitiesBody(body, 'listEntities');
    },

    async listConnectionsPage(call) {
      const request = requestAt(call);
      const body = await fetchConnections(call, request);
      const next = nextZuoraPage(request, body);
      return { connections: body.items, next: next === undefined ? undefined : positionOf(next, request) };
    },

    listAllConnections,

    initiateConnection: async (call) =>
      send<ZuoraConnectionCreated>(call, {
        method: 'POST',
        path: CONNECTIONS_PATH,
        operation: 'initiateConnection',
        // Payload ids are 32 hex; `targetEntityId` takes at most 32 characters.
        json: { targetEntityId: compactZuoraId(call.targetEntityId, 'targetEntityId') },
        idempotencyKey: keyFor('initiateConnection', call),
      }),

    acceptConnection: transition('accept'),
    denyConnection: transition('deny'),
    disconnectConnection: transition('disconnect'),

    close: http.close,
  };
}

/** Zuora's status strings, compared without regard to case. */
function sameStatus(actual: string | undefined, wanted: string): boolean {
  return typeof actual === 'string' && actual.toLowerCase() === wanted.toLowerCase();
}
