import type { QueryLimits } from '../limits/query-limits.js';
import type { Scope, TenantGrant } from './api-key-record.js';

/** Who sent a request: the key's id (never the key), its scopes and its tenant grant. */
export interface Caller {
  keyId: string;
  scopes: readonly Scope[];
  tenants: TenantGrant;
  /** The key's own query limits, over the gateway's. */
  limits?: Partial<QueryLimits>;
  /** May run only the trusted documents manifest's operations, by id (see src/persisted-documents/). */
  trustedDocumentsOnly?: boolean;
}
