/**
 * What the gateway asks of its vendors, in domain terms only (src/models.ts). Each vendor folder
 * implements one of these per tenant and keeps everything else to itself: its client, the wire
 * names, the mapper, how it pages and what it caches. Loaders and resolvers see these and nothing
 * more, so a question like "which m3ter endpoint answers this filter?" has one home.
 *
 *   Zuora           EntityDirectory   entities, connections, connection transitions
 *   m3ter, Rev.io   LinkProvider      links by record, by filter (paged), by id; writes; catalog
 */
import type { ExistedBefore } from '../lib/existed-before.js';
import type { UpstreamPage } from '../lib/paging.js';
import type {
  Connection,
  ConnectionDirection,
  Entity,
  ExternalLink,
  IntegrationEntityType,
  IntegrationSystem,
  LinkChanges,
  LinkFilter,
  MappingConfiguration,
  NewLink,
  Provider,
} from '../models.js';
import type { Vendor } from './vendor.js';

/** Every provider call carries the request it serves: logs, fair queueing and call counting key on it. */
export interface Call {
  requestId: string;
}

/**
 * How one list pages upstream. Positions are the vendor's own (a page number, a token); cursors
 * carry them as JSON, so a provider says which values are its positions before any call is made.
 */
export interface Paging<Position> {
  readonly vendor: Vendor;
  /** The operation named in the error when a vendor never says "last page". */
  readonly operation: string;
  /** The first page's position. */
  readonly start: Position;
  readonly maxPages: number;
  isPosition(at: unknown): at is Position;
}

export type PageReader<Item, Position> = (at: Position) => Promise<UpstreamPage<Item, Position>>;

export type ConnectionTransition = 'acceptConnection' | 'denyConnection' | 'disconnectConnection';

/** Zuora Multi-entity, seen through one OAuth client (which may serve several entities). */
export interface EntityDirectory {
  /** Every entity of the tenant, root first, read as `actingEntityId`. */
  entities(actingEntityId: string, call: Call): Promise<Entity[]>;
  /** Every connection of an entity, both directions, every page. */
  connectionsOf(entityId: string, call: Call): Promise<Connection[]>;
  readonly connectionPaging: Paging<unknown>;
  /** One entity's connections a page at a time; a direction goes upstream, status cannot. */
  connectionPages(entityId: string, direction: ConnectionDirection, call: Call): PageReader<Connection, unknown>;
  /**
   * Opens a connection from `sourceEntityId`. With a `clientMutationId`, the vendor's own
   * idempotency key is derived from it, so a repeat after a lost answer replays the first result.
   */
  initiateConnection(
    request: { sourceEntityId: string; targetEntityId: string; clientMutationId?: string; callerKeyId?: string },
    call: Call,
  ): Promise<{ id: string }>;
  transitionConnection(kind: ConnectionTransition, request: { actingEntityId: string; connectionId: string }, call: Call): Promise<void>;
  /** One cheap authenticated read, for `/readyz`. */
  probe(actingEntityId: string, call: Call): Promise<void>;
}

/**
 * A create, checked and resolved against the tenant's names before anything is written. The
 * fingerprint is what makes two creates "the same write" for a `clientMutationId`.
 */
export interface PreparedLinkCreate {
  readonly fingerprint: Readonly<Record<string, unknown>>;
  /**
   * Writes it; the link as stored when the vendor answers it, else only its id (read back after).
   * `before`: the links like it that existed before the first attempt, which the vendor client's
   * own settling of an unanswered POST never adopts.
   */
  write(call: Call, before: ExistedBefore): Promise<{ nativeId: string; link?: ExternalLink }>;
  /**
   * The ids of the stored links with this create's identity fields, newest first: read before the
   * first attempt (what existed) and after an unknown outcome (what may be ours, adopted only
   * through `ExistedBefore.adopt`).
   */
  matching(call: Call): Promise<string[]>;
}

/** An update of one link, checked before anything is written. */
export interface PreparedLinkUpdate {
  /** Writes it; the link as stored when the vendor answers it. */
  write(call: Call): Promise<ExternalLink | undefined>;
  /** After an unknown outcome: whether the link, as just read, already holds this update. */
  landed(stored: ExternalLink): boolean;
}

/** m3ter External Mappings or Rev.io key links, for one tenant (m3ter org, Rev.io client). */
export interface LinkProvider {
  readonly provider: Provider;
  readonly vendor: Vendor;
  /** The tenant's id as links carry it: m3ter org id, Rev.io client code. */
  readonly tenant: string;
  /** Whether an update must name the version it read (`expectedVersion`). */
  readonly optimisticLocking: boolean;
  /** Links whose external end is one of these records of one system, in as few calls as the API allows. */
  linksTo(system: string, externalIds: readonly string[], call: Call): Promise<ExternalLink[]>;
  /**
   * Links whose internal end (the provider's own record) is one of these ids, in as few calls as
   * the API allows; `internalType` narrows the search where the vendor can (null: any type).
   */
  linksFrom(internalType: string | null, internalIds: readonly string[], call: Call): Promise<ExternalLink[]>;
  /** Whether this tenant can hold links to `system` at all; a lookup in a system it cannot hold costs nothing. */
  holdsSystem(system: string, call: Call): Promise<boolean>;
  readonly linkPaging: Paging<unknown>;
  /**
   * The page reader for a filter, using the narrowest call the vendor has for it; undefined when
   * no link of this provider can match. Items may match loosely: callers re-check the filter.
   */
  linkPages(filter: LinkFilter, call: Call): Promise<PageReader<ExternalLink, unknown> | undefined>;
  /** The link, or null when the provider has no such link. */
  link(nativeId: string, call: Call): Promise<ExternalLink | null>;
  prepareCreate(link: NewLink, call: Call): Promise<PreparedLinkCreate>;
  prepareUpdate(current: ExternalLink, changes: LinkChanges, call: Call): Promise<PreparedLinkUpdate>;
  delete(nativeId: string, call: Call): Promise<void>;
  /** After an unknown outcome of a delete: whether the link is gone. */
  isGone(nativeId: string, call: Call): Promise<boolean>;
  /** One cheap authenticated read, for `/readyz`. */
  probe(call: Call): Promise<void>;
}

/** m3ter's links, plus the org's mapping configuration. */
export interface M3terLinks extends LinkProvider {
  readonly provider: 'M3TER';
  mappingConfiguration(call: Call): Promise<MappingConfiguration>;
}

/** Rev.io's key links, plus its read-only catalog. */
export interface RevioLinks extends LinkProvider {
  readonly provider: 'REVIO';
  /** External systems (lower case) the tenant declares both providers must link (config `revioAudit`). */
  readonly bothProviders: readonly string[];
  integrationSystems(call: Call): Promise<IntegrationSystem[]>;
  integrationEntityTypes(call: Call): Promise<IntegrationEntityType[]>;
}
