/**
 * The Zuora shapes the client speaks, named after the generated spec types (never edited), and
 * the options of each client method. Every response field is optional in Zuora's spec, so
 * callers treat them all as nullable; `mapper.ts` does that for the domain.
 */
import type { components, operations } from './types.generated.js';

type Schemas = components['schemas'];

/** One entity as `GET /v1/entities` lists it. */
export type ZuoraEntity = Schemas['GETEntitiesType'];

/** One entity connection; `status` is a plain string (`Connected`, `Pending`, `Disconnected`). */
export type ZuoraConnection = Schemas['GETEntityConnectionsArrayItemsType'];

/** `POST /v1/entity-connections` answer. */
export type ZuoraConnectionCreated = Schemas['POSTEntityConnectionsResponseType'];

/** The `{ success }` answer of the connection transitions (PUT). */
export type ZuoraSuccess = Schemas['UpdateEntityResponseType'];

/** `POST /oauth/token` answer. */
export type ZuoraTokenResponse = Schemas['tokenResponse'];

/** `type` of the connection list: one direction, or both when omitted. */
export type ZuoraConnectionDirection = NonNullable<NonNullable<operations['GET_EntityConnections']['parameters']['query']>['type']>;

/** What every method takes: the acting entity (the tenant selector) and the gateway request id. */
export interface ZuoraCallOptions {
  /**
   * The entity to act as: 32 hex characters or the hyphenated UUID form, any case. Sent as
   * `Zuora-Entity-Ids` in hyphenated lower case; it must be one of the tenant's configured
   * entities.
   */
  entityId: string;
  /** The gateway request id, sent as `Zuora-Track-Id`. */
  requestId?: string;
  /** Overall budget for this call, retries included (default: the client's deadline). */
  deadlineMs?: number;
  /** A readiness probe: reaches Zuora itself now (never a read another call started), retrying at short intervals. */
  probe?: boolean;
}

/** A POST: the caller's mutation id makes the `Idempotency-Key` stable across the caller's own retries. */
export interface ZuoraPostOptions extends ZuoraCallOptions {
  /**
   * An id the caller keeps for this one change (e.g. the GraphQL `clientMutationId`). The same
   * id sends the same key, so Zuora answers a repeat with the first result instead of acting
   * twice. Without one, each call gets a fresh random key (still safe within the call's retries).
   */
  clientMutationId?: string;
  /** Whose `clientMutationId` it is (the gateway caller's API key id): part of the key. */
  callerKeyId?: string;
}

/** Where a connection page starts: the upstream position, serialisable into a GraphQL cursor. */
export interface ZuoraConnectionPosition {
  /** 1-based. */
  page: number;
  /** At most 300; Zuora counts a larger value as 300. */
  pageSize: number;
  type?: ZuoraConnectionDirection;
}

export interface ZuoraConnectionPage {
  connections: ZuoraConnection[];
  /** The position of the next page, or `undefined` on the last one. */
  next: ZuoraConnectionPosition | undefined;
}
