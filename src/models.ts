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

/** One side of a link: a record in some system. */
export interface LinkSide {
  /** System name as the provider spells it (m3ter "Salesforce", Rev.io "SALESFORCE"). */
  system: string;
  /** Record type: m3ter entity or external table; Rev.io entity type (internal side only, Rev.io has no external table). */
  type: string | null;
  id: string;
}

/** A link between an internal record of a provider and a record in an external system. */
export interface ExternalLink {
  provider: Provider;
  /** The provider's own id: m3ter mapping UUID, Rev.io key-link id as a decimal string. */
  nativeId: string;
  /** The tenant the link lives in: m3ter org id, Rev.io client code. */
  tenant: string;
  internal: LinkSide;
  external: LinkSide;
  /** m3ter only: optimistic-locking version. */
  version: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  createdBy: string | null;
  updatedBy: string | null;
  /** m3ter only. */
  integrationConfigId: string | null;
  /** Rev.io only: the numeric ids behind `internal.system`/`internal.type` names. */
  systemId?: number;
  entityTypeId?: number;
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
