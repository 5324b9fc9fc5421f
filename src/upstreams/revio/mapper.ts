/**
 * Rev.io records → domain models, and domain input → Rev.io write bodies. The only place Rev.io
 * field names meet domain names. Pure: names for system and entity-type ids come in as maps
 * (the tenant's catalog), so the same record maps the same way in tests and in production.
 */
import { BadUserInputError, UpstreamContractError } from '../../errors.js';
import type { IntegrationEntityType, IntegrationSystem, RevioLink } from '../../models.js';
import type { components } from './types.generated.js';

type KeyLinkRecord = components['schemas']['IntegrationKeyLink'];
type KeyLinkWrite = components['schemas']['IntegrationKeyLinkWrite'];
type SystemRecord = components['schemas']['IntegrationSystem'];
type EntityTypeRecord = components['schemas']['IntegrationEntityType'];

/** id → name for one tenant's systems and entity types. */
export interface KeyLinkNames {
  systems: ReadonlyMap<number, string>;
  entityTypes: ReadonlyMap<number, string>;
}

/** The internal side of every key link is a Rev.io record. */
export const REVIO_SYSTEM = 'Rev.io';

/**
 * Stand-ins for ids the catalog does not know (a system Rev.io support added after startup):
 * the link still maps, and the id stays readable instead of failing the whole page.
 */
export const unknownSystemName = (id: number): string => `SYSTEM#${id}`;
export const unknownEntityTypeName = (id: number): string => `TYPE#${id}`;

export function toExternalLink(record: KeyLinkRecord, tenant: string, names: KeyLinkNames): RevioLink {
  const systemId = intField(record, 'integration_system_id');
  const entityTypeId = intField(record, 'integration_entity_type_id');
  return {
    provider: 'REVIO',
    nativeId: String(intField(record, 'integration_key_link_id')),
    tenant,
    internal: {
      system: REVIO_SYSTEM,
      type: names.entityTypes.get(entityTypeId) ?? unknownEntityTypeName(entityTypeId),
      id: String(intField(record, 'internal_id')),
    },
    // Rev.io has no external record type: only the system is known.
    external: { system: names.systems.get(systemId) ?? unknownSystemName(systemId), type: null, id: externalId(record) },
    // No UTC offset, as Rev.io writes it: passed through, never reinterpreted.
    createdAt: typeof record.created_date === 'string' && record.created_date !== '' ? record.created_date : null,
    // Rev.io keeps no update audit fields.
    updatedAt: null,
    createdBy: createdBy(record.created_by),
    updatedBy: null,
    systemId,
    entityTypeId,
  };
}

export function toIntegrationSystem(record: SystemRecord): IntegrationSystem {
  return { id: intField(record, 'integration_system_id'), name: nameField(record, 'system_name') };
}

export function toIntegrationEntityType(record: EntityTypeRecord): IntegrationEntityType {
  return { id: intField(record, 'integration_entity_type_id'), name: nameField(record, 'entity_type_name') };
}

export interface KeyLinkInput {
  systemId: number;
  entityTypeId: number;
  /** The Rev.io record's primary key, as the domain carries ids (a decimal string). */
  internalId: string;
  externalId: string;
}

/** The POST / PUT body. Rejects input Rev.io would answer 400 for, before anything is sent. */
export function toKeyLinkWrite(input: KeyLinkInput): KeyLinkWrite {
  if (!/^-?\d{1,10}$/.test(input.internalId) || !isInt32(Number(input.internalId))) {
    throw new BadUserInputError(`A Rev.io internal id must be an integer, got "${input.internalId}"`);
  }
  // 1–255 characters; length in UTF-16 units, as the vendor's .NET side counts them.
  if (input.externalId.length < 1 || input.externalId.length > 255) {
    throw new BadUserInputError(`A Rev.io external id must have 1 to 255 characters, got ${input.externalId.length}`);
  }
  return {
    integration_system_id: input.systemId,
    integration_entity_type_id: input.entityTypeId,
    internal_id: Number(input.internalId),
    external_id: input.externalId,
  };
}

/**
 * An integer id. A real tenant might send ids as numeric strings (the key-link fields are
 * unverified); anything else means the record is not what the contract says.
 */
function intField<R extends object>(record: R, field: keyof R & string): number {
  const value: unknown = record[field];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw malformed(field);
}

function nameField<R extends object>(record: R, field: keyof R & string): string {
  const value: unknown = record[field];
  if (typeof value === 'string' && value !== '') return value;
  throw malformed(field);
}

/** Kept exactly as sent: case matters (Salesforce ids). A number is tolerated as its decimal form. */
function externalId(record: KeyLinkRecord): string {
  const value: unknown = record.external_id;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw malformed('external_id');
}

function createdBy(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value !== '') return value;
  return null;
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647;
}

function malformed(field: string): UpstreamContractError {
  // The field name only: the value could be anything, and vendor data stays out of errors.
  return new UpstreamContractError({ vendor: 'revio', operation: `map ${field}`, retryable: false, vendorCode: 'MALFORMED_RECORD' });
}
