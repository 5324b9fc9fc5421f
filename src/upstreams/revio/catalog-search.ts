/**
 * Search filters of the two read-only catalogs, `GET /v1/IntegrationSystem` and
 * `GET /v1/IntegrationEntityType`, and their client-side re-check. Names match
 * case-insensitively, as Rev.io's collation does: the catalogs hold upper-case names, and a
 * configured `zuora` should find `ZUORA`.
 */
import type { components } from './types.generated.js';

export type SystemRecord = components['schemas']['IntegrationSystem'];
export type EntityTypeRecord = components['schemas']['IntegrationEntityType'];

export interface SystemSearch {
  integration_system_id?: number;
  system_name?: string;
}

export interface EntityTypeSearch {
  integration_entity_type_id?: number;
  entity_type_name?: string;
}

export function systemFilters(search: SystemSearch): Record<string, string | number> {
  return definedOnly({ integration_system_id: search.integration_system_id, system_name: search.system_name });
}

export function matchesSystemSearch(record: SystemRecord, search: SystemSearch): boolean {
  return sameId(record.integration_system_id, search.integration_system_id) && sameName(record.system_name, search.system_name);
}

export function entityTypeFilters(search: EntityTypeSearch): Record<string, string | number> {
  return definedOnly({ integration_entity_type_id: search.integration_entity_type_id, entity_type_name: search.entity_type_name });
}

export function matchesEntityTypeSearch(record: EntityTypeRecord, search: EntityTypeSearch): boolean {
  return sameId(record.integration_entity_type_id, search.integration_entity_type_id) && sameName(record.entity_type_name, search.entity_type_name);
}

function sameId(actual: unknown, wanted: number | undefined): boolean {
  return wanted === undefined || String(actual) === String(wanted);
}

function sameName(actual: unknown, wanted: string | undefined): boolean {
  return wanted === undefined || (typeof actual === 'string' && actual.toUpperCase() === wanted.toUpperCase());
}

function definedOnly(values: Record<string, string | number | undefined>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined) out[name] = value;
  return out;
}
