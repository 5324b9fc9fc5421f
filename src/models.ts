/**
 * Interlink's domain models: what upstream mappers produce and resolvers receive. Vendor field
 * names never appear here; ids keep each vendor's exact format (Zuora 32-hex, m3ter UUID,
 * Rev.io integer).
 */

export type Provider = 'M3TER' | 'REVIO';

/** A Zuora entity: one tenant of a Zuora Multi-entity instance. */
export interface Entity {
  /** 32 lower-case hex characters, as Zuora writes ids in payloads. */
  id: string;
  name: string | null;
  displayName: string | null;
  status: EntityStatus | null;
  locale: string | null;
  timezone: string | null;
  /** Zuora's numeric tenant id, as a string. */
  tenantId: string | null;
  parentId: string | null;
}

export type EntityStatus = 'PROVISIONED' | 'UNPROVISIONED';

/** A Zuora entity connection (not a paging "connection"). */
export interface Connection {
  id: string;
  status: ConnectionStatus | null;
  sourceEntityId: string;
  targetEntityId: string;
}

export type ConnectionStatus = 'CONNECTED' | 'PENDING' | 'DISCONNECTED';

/** Which of an entity's connections: those it opened, those opened to it, or both. */
export type ConnectionDirection = 'INBOUND' | 'OUTBOUND' | 'BOTH';

/** One side of a link: a record in some system. */
export interface LinkSide {
  /** System name as the provider spells it (m3ter "Salesforce", Rev.io "SALESFORCE"). */
  system: string;
  /** Record type: m3ter entity or external table; Rev.io entity type (internal side only, Rev.io has no external table). */
  type: string | null;
  id: string;
}

interface LinkBase {
  /** The provider's own id: m3ter mapping UUID, Rev.io key-link id as a decimal string. */
  nativeId: string;
  /** The tenant the link lives in: m3ter org id, Rev.io client code. */
  tenant: string;
  internal: LinkSide;
  external: LinkSide;
  createdAt: string | null;
  updatedAt: string | null;
  createdBy: string | null;
  updatedBy: string | null;
}

/** An m3ter external mapping. */
export interface M3terLink extends LinkBase {
  provider: 'M3TER';
  /** Optimistic locking: an update names the version it read. */
  version: number | null;
  integrationConfigId: string | null;
}

/** A Rev.io key link. */
export interface RevioLink extends LinkBase {
  provider: 'REVIO';
  /** The numeric ids behind `external.system` and `internal.type` (a full replace sends them). */
  systemId: number;
  entityTypeId: number;
}

/** A link between an internal record of a provider and a record in an external system. */
export type ExternalLink = M3terLink | RevioLink;

/** Narrows a provider's list of links; names compare case-insensitively, ids exactly. */
export interface LinkFilter {
  externalSystem?: string;
  externalTable?: string;
  externalId?: string;
  internalType?: string;
  internalId?: string;
  /** The caller asked for this provider alone: a filter it cannot match is bad input, not "none". */
  onlyThisProvider?: boolean;
}

/** A link to create, as the caller gave it. */
export interface NewLink {
  internalType: string;
  internalId: string;
  externalSystem: string;
  /** The external record type: m3ter requires it, Rev.io has none. */
  externalTable?: string;
  externalId: string;
  integrationConfigId?: string;
}

/** What an update changes; absent fields keep their stored value. */
export interface LinkChanges {
  internalType?: string;
  internalId?: string;
  externalSystem?: string;
  externalTable?: string;
  externalId?: string;
  /** The version the caller read, for providers with optimistic locking. */
  expectedVersion?: number;
}

/** A Rev.io integration system (read-only list). */
export interface IntegrationSystem {
  id: number;
  name: string;
}

/** A Rev.io integration entity type (read-only list). */
export interface IntegrationEntityType {
  id: number;
  name: string;
}

/** m3ter's external mapping configuration for an org. */
export interface MappingConfiguration {
  m3terEntities: string[];
  externalSystems: { name: string; tables: string[]; allowCustomExternalTables: boolean }[];
}

/**
 * A connection as reached from one entity, so `direction` can be answered relative to it.
 * `viewpointEntityId` is null when the connection was reached directly (e.g. from a mutation).
 */
export interface ConnectionInContext extends Connection {
  viewpointEntityId: string | null;
}
