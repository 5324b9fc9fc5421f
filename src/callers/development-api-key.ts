import { randomBytes } from 'node:crypto';
import type { ApiKeyRecord, TenantGrant } from './api-key-record.js';
import { hashApiKey } from './hash-api-key.js';

export interface DevelopmentApiKey {
  /** The key itself: print it once at start-up, never log it again. */
  key: string;
  /** What the gateway keeps: the hash only. */
  record: ApiKeyRecord;
}

/**
 * Sandbox mode with no keys configured: one key with every scope for every sandbox tenant, new
 * on each start. 32 random bytes (256 bits), base64url; the `ilk_dev_` prefix says what it is
 * to a reader and to secret scanners.
 */
export function developmentApiKey(tenants: TenantGrant): DevelopmentApiKey {
  const key = `ilk_dev_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id: 'development',
    hash: hashApiKey(key),
    scopes: ['read', 'write'],
    tenants: Object.fromEntries(Object.entries(tenants).map(([vendor, ids]) => [vendor, [...(ids ?? [])]])) as unknown as TenantGrant,
  };
  return { key, record };
}
