/**
 * The m3ter shapes the client speaks, named after the generated spec types (never edited) and
 * the options of each client method. Vendor field names live here, in the client's request
 * bodies and in `mapper.ts`, nowhere else.
 */
import type { components, operations } from './types.generated.js';

type Schemas = components['schemas'];

/** One External Mapping as m3ter returns it (rows 2–5, and the items of rows 1, 6, 7). */
export type M3terMapping = Schemas['ExternalMappingResponse'];

/** A create body: the five identity fields, optional `integrationConfigId`, never `version`. */
export type M3terMappingCreate = Omit<Schemas['ExternalMappingRequest'], 'version'>;

/** A full-replace body: the five identity fields and the `version` the caller last read. */
export type M3terMappingUpdate = M3terMappingCreate & { version: number };

/** `GET /externalmappingconfiguration`. */
export type M3terMappingConfiguration = Schemas['ExternalMappingConfigurationResponse'];


/** `POST /oauth/token` answer. */
export type M3terTokenResponse = Schemas['BearerAccessTokenResponse'];

/** The mapping list's filters, as the spec names them. */
export type M3terListQuery = NonNullable<operations['ListExternalMappings']['parameters']['query']>;

/**
 * One page of a mapping list. `nextToken` is the upstream position: pass it back (with the same
 * filters) for the next page; `undefined` on the last page (m3ter may send it absent, null or "").
 */
export interface M3terMappingPage {
  mappings: M3terMapping[];
  nextToken: string | undefined;
}

/** Every method takes the gateway request id, sent as `X-Request-Id`. */
export interface M3terCallOptions {
  requestId?: string;
  /** A readiness probe: reaches m3ter itself now (never a read another call started), retrying at short intervals. */
  probe?: boolean;
}

/** Where a list starts: the defaults are the first page at m3ter's maximum size (200). */
export interface M3terPageOptions {
  pageSize?: number;
  nextToken?: string;
}

/** Filters of the mapping list. All are exact and case-sensitive upstream. */
export interface M3terMappingFilters extends M3terCallOptions {
  /** A system **name**, e.g. `Salesforce` (m3ter calls the parameter `externalSystemId`). */
  externalSystem?: string;
  /** Sent as repeated `m3terIds` parameters. */
  m3terIds?: readonly string[];
  integrationConfigId?: string;
}

/** The mappings of one external record. */
export interface M3terExternalRecordRef extends M3terCallOptions {
  externalSystem: string;
  externalTable: string;
  externalId: string;
}

/** The mappings of one m3ter object. */
export interface M3terObjectRef extends M3terCallOptions {
  /** An m3ter entity type such as `Account`. */
  m3terEntity: string;
  m3terId: string;
}
