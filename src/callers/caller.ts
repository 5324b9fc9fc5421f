import type { Scope, TenantGrant } from './api-key-record.js';

/** Who sent a request: the key's id (never the key), its scopes and its tenant grant. */
export interface Caller {
  keyId: string;
  scopes: readonly Scope[];
  tenants: TenantGrant;
}
