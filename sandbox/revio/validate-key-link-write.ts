import { isInt32 } from './int32.js';
import type { KeyLinkFields } from './key-link-store.js';
import type { FieldError } from './responses.js';
import type { RevioClient, RevioState } from './revio-state.js';

const MAX_EXTERNAL_ID_LENGTH = 255;
type IntField = 'integration_system_id' | 'integration_entity_type_id' | 'internal_id';
const INT_FIELDS: readonly IntField[] = ['integration_system_id', 'integration_entity_type_id', 'internal_id'];

export type WriteCheck = { ok: true; fields: KeyLinkFields } | { ok: false; message?: string; errors: FieldError[] };

/**
 * Checks a POST or PUT body: JSON object, all four fields with the right
 * types, then that the system and entity type exist and that `internal_id` exists for that type
 * in this client's data. Fields beyond the four are ignored (`integration_key_link_id`,
 * `created_date` and the like are read-only), as ASP.NET model binding ignores them.
 */
export function validateKeyLinkWrite(body: Buffer, state: RevioState, client: RevioClient): WriteCheck {
  const parsed = parseJsonObject(body);
  if (typeof parsed === 'string') return { ok: false, message: parsed, errors: [] };

  const errors: FieldError[] = [];
  const ints: Partial<Record<IntField, number>> = {};
  for (const field of INT_FIELDS) {
    const value = parsed[field];
    if (value === undefined || value === null) errors.push({ field, message: `${field} is required` });
    else if (!isInt32(value) || value < 1) errors.push({ field, message: `${field} must be a positive integer, got ${describe(value)}` });
    else ints[field] = value;
  }
  const externalId = parsed.external_id;
  if (externalId === undefined || externalId === null) {
    errors.push({ field: 'external_id', message: 'external_id is required' });
  } else if (typeof externalId !== 'string' || externalId.length < 1 || externalId.length > MAX_EXTERNAL_ID_LENGTH) {
    const got = typeof externalId === 'string' ? `${externalId.length} characters` : describe(externalId);
    errors.push({ field: 'external_id', message: `external_id must be a string of 1 to ${MAX_EXTERNAL_ID_LENGTH} characters, got ${got}` });
  }

  const systemId = ints.integration_system_id;
  if (systemId !== undefined && !state.systemsById.has(systemId)) {
    errors.push({ field: 'integration_system_id', message: `no integration system has id ${systemId}` });
  }
  const typeId = ints.integration_entity_type_id;
  const type = typeId === undefined ? undefined : state.entityTypesById.get(typeId);
  if (typeId !== undefined && !type) {
    errors.push({ field: 'integration_entity_type_id', message: `no integration entity type has id ${typeId}` });
  }
  const internalId = ints.internal_id;
  if (type && internalId !== undefined && !client.internalIds.get(type.integration_entity_type_id)?.has(internalId)) {
    errors.push({ field: 'internal_id', message: `no ${type.entity_type_name} with id ${internalId} exists` });
  }

  if (errors.length > 0 || systemId === undefined || typeId === undefined || internalId === undefined || typeof externalId !== 'string') {
    return { ok: false, errors };
  }
  return { ok: true, fields: { integration_system_id: systemId, integration_entity_type_id: typeId, internal_id: internalId, external_id: externalId } };
}

function parseJsonObject(body: Buffer): Record<string, unknown> | string {
  if (body.length === 0) return 'A JSON request body is required.';
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `The request body must be a JSON object, got ${Array.isArray(value) ? 'an array' : describe(value)}.`;
  }
  return value as Record<string, unknown>;
}

/** A short rendering of a bad value for a message; bodies can be large. */
function describe(value: unknown): string {
  const text = String(JSON.stringify(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
