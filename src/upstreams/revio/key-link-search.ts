/**
 * Key-link search filters and their client-side re-check. Rev.io matches
 * strings case-insensitively, like SQL Server collation, but Salesforce ids can differ only by
 * case; so every page a search returns is filtered again here, `external_id` compared exactly.
 * The re-check also keeps results right if a real tenant ignored a filter it does not know.
 */
import type { components } from './types.generated.js';

export type KeyLinkRecord = components['schemas']['IntegrationKeyLink'];
export type KeyLinkWrite = components['schemas']['IntegrationKeyLinkWrite'];

/** `search.<field>` filters of `GET /v1/IntegrationKeyLink`, combined with AND. */
export interface KeyLinkSearch {
  integration_key_link_id?: number;
  integration_system_id?: number;
  integration_entity_type_id?: number;
  internal_id?: number;
  external_id?: string;
}

const SEARCH_FIELDS = [
  'integration_key_link_id',
  'integration_system_id',
  'integration_entity_type_id',
  'internal_id',
  'external_id',
] as const satisfies readonly (keyof KeyLinkSearch)[];

/** The filters as query values, without `undefined` ones. */
export function keyLinkFilters(search: KeyLinkSearch): Record<string, string | number> {
  const filters: Record<string, string | number> = {};
  for (const field of SEARCH_FIELDS) {
    const value = search[field];
    if (value !== undefined) filters[field] = value;
  }
  return filters;
}

/** Whether a returned record really matches: ids by value, `external_id` case-sensitively. */
export function matchesKeyLinkSearch(record: KeyLinkRecord, search: KeyLinkSearch): boolean {
  return SEARCH_FIELDS.every((field) => {
    const wanted = search[field];
    // Ids may come back as strings from a real tenant; compare their decimal forms.
    return wanted === undefined || String(record[field]) === String(wanted);
  });
}
