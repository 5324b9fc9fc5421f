/**
 * API key records, from `apiKeys` in INTERLINK_CONFIG_FILE and from INTERLINK_API_KEYS_FILE (a JSON
 * array of the same records): the schema of one record, and the checks across all of them.
 */
import { z } from 'zod';
import { SCOPES, type ApiKeyRecord, type Scope, type TenantGrant } from '../callers/api-key-record.js';
import { word, type ValueParser } from '../lib/config-values.js';
import type { VendorSettings } from '../upstreams/vendor-settings.js';
import { describeValue } from '../lib/describe-value.js';
import type { QueryLimits } from '../limits/query-limits.js';
import { ANONYMOUS_CALLER } from '../idempotency/once-for.js';
import { valueSchema } from './file-schema.js';
import { QUERY_LIMIT_SETTINGS } from './settings.js';

/** `sha256:` and 64 hex digits. Masked in messages: a raw key pasted here by mistake must not be printed. */
const apiKeyHash: ValueParser<string> = {
  expected: '"sha256:" followed by the 64 hex digits of the key\'s SHA-256 (never the key itself)',
  secret: true,
  parse: (raw) => (typeof raw === 'string' && /^sha256:[0-9a-f]{64}$/i.test(raw.trim()) ? raw.trim().toLowerCase() : undefined),
};

const scopeList: ValueParser<Scope[]> = {
  expected: `a non-empty array of scopes (${SCOPES.map((scope) => `"${scope}"`).join(', ')})`,
  parse: (raw) => (Array.isArray(raw) && raw.length > 0 && raw.every(isScope) ? [...new Set(raw)] : undefined),
};

function isScope(value: unknown): value is Scope {
  return SCOPES.some((scope) => scope === value);
}

/** A key's own `limits`: any of the query limits, each checked as its variable is. */
const limitsSchema = z
  .object(Object.fromEntries(Object.entries(QUERY_LIMIT_SETTINGS).map(([name, row]) => [name, valueSchema(row.parser).optional()])) as Record<keyof QueryLimits, z.ZodOptional<ReturnType<typeof valueSchema<number>>>>)
  .strict();

/** One key record; `tenants` has a list per vendor, each id in the form that vendor's grant takes. */
export function apiKeySchema(vendors: readonly VendorSettings[]) {
  const tenants = z
    .object(Object.fromEntries(vendors.map((vendor) => [vendor.name, z.array(valueSchema(vendor.grant.parser)).optional()])) as Record<string, z.ZodOptional<z.ZodArray<ReturnType<typeof valueSchema<string>>>>>)
    .strict();
  return z
    .object({
      id: valueSchema(word('an API key id (no spaces)', { max: 64 })),
      hash: valueSchema(apiKeyHash),
      scopes: valueSchema(scopeList),
      tenants,
      limits: limitsSchema.optional(),
      trustedDocumentsOnly: z.boolean().optional(),
    })
    .strict()
    .transform(
      ({ limits, ...key }): ApiKeyRecord => ({
        ...key,
        // A vendor the record leaves out grants nothing there.
        tenants: Object.fromEntries(vendors.map((vendor) => [vendor.name, key.tenants[vendor.name] ?? []])) as unknown as TenantGrant,
        ...(limits === undefined ? {} : { limits: Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) }),
      }),
    );
}

/**
 * Caller ids that API keys cannot take: a JWT caller's id is `jwt:` + its subject, and calls with
 * no caller share ANONYMOUS_CALLER's idempotency scope. A key with such an id would share
 * idempotency records and audit identity with that caller.
 */
const RESERVED_ID = /^jwt:/i;

/** Ids name keys in logs and must be unique; a shared hash would make two callers one; a key must grant something. */
export function checkApiKeys(keys: readonly ApiKeyRecord[], vendors: readonly VendorSettings[], issues: string[]): void {
  const ids = new Set<string>();
  const hashes = new Set<string>();
  for (const key of keys) {
    if (RESERVED_ID.test(key.id) || key.id === ANONYMOUS_CALLER) {
      issues.push(`API key id ${describeValue(key.id)} is reserved: ids starting "jwt:" name JWT callers and ${describeValue(ANONYMOUS_CALLER)} names calls without a caller; give the key another id`);
    }
    if (ids.has(key.id)) issues.push(`API key id ${describeValue(key.id)} is listed more than once (apiKeys in INTERLINK_CONFIG_FILE and INTERLINK_API_KEYS_FILE count together); ids name keys in logs and must be unique`);
    if (hashes.has(key.hash)) issues.push(`API key ${describeValue(key.id)} has the same hash as another key; give each caller its own key`);
    if (vendors.every((vendor) => (key.tenants[vendor.name] ?? []).length === 0)) {
      const plurals = vendors.map((vendor) => vendor.grant.plural);
      issues.push(`API key ${describeValue(key.id)} grants no tenant: list ${plurals.slice(0, -1).join(', ')} or ${plurals.at(-1)} under tenants`);
    }
    ids.add(key.id);
    hashes.add(key.hash);
  }
}
