/**
 * Zuora records → domain models: the only place Zuora's field names meet the domain's. Pure.
 * Every Zuora response field is optional, so absent or mistyped fields become
 * null; only what identifies a record (`id`, a connection's two ends) is required, and a record
 * without it is a broken contract, not a row to guess at. Ids are kept exactly as sent.
 */
import { UpstreamContractError } from '../../errors.js';
import type { Connection, ConnectionStatus, Entity, EntityStatus } from '../../models.js';
import type { ZuoraConnection, ZuoraEntity } from './zuora-types.js';

export function toEntity(record: ZuoraEntity): Entity {
  return {
    id: idField(record, 'id'),
    name: text(record.name),
    displayName: text(record.displayName),
    status: toEntityStatus(record.status),
    locale: text(record.locale),
    timezone: text(record.timezone),
    tenantId: numericText(record.tenantId),
    // The root has none; Zuora may send null, "" or nothing.
    parentId: text(record.parentId),
  };
}

export function toConnection(record: ZuoraConnection): Connection {
  return {
    id: idField(record, 'id'),
    status: toConnectionStatus(record.status),
    sourceEntityId: idField(record, 'sourceEntityId'),
    targetEntityId: idField(record, 'targetEntityId'),
  };
}

const ENTITY_STATUSES: Readonly<Record<string, EntityStatus>> = { provisioned: 'PROVISIONED', unprovisioned: 'UNPROVISIONED' };

const CONNECTION_STATUSES: Readonly<Record<string, ConnectionStatus>> = {
  connected: 'CONNECTED',
  pending: 'PENDING',
  disconnected: 'DISCONNECTED',
};

/** `Provisioned` → `PROVISIONED`, any case; an unknown value is null, so one odd row cannot fail a list. */
export function toEntityStatus(value: unknown): EntityStatus | null {
  return typeof value === 'string' ? (ENTITY_STATUSES[value.trim().toLowerCase()] ?? null) : null;
}

/** `Connected` → `CONNECTED`, any case. Zuora types the field as a plain string, so new values may appear. */
export function toConnectionStatus(value: unknown): ConnectionStatus | null {
  return typeof value === 'string' ? (CONNECTION_STATUSES[value.trim().toLowerCase()] ?? null) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `tenantId` is a numeric string; a number is tolerated and written as its decimal form. */
function numericText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

function idField<R extends object>(record: R, field: keyof R & string): string {
  const value: unknown = record[field];
  if (typeof value === 'string' && value !== '') return value;
  // The field name only: vendor data stays out of errors.
  throw new UpstreamContractError({ vendor: 'zuora', operation: `map ${field}`, retryable: false, vendorCode: 'MALFORMED_RECORD' });
}
