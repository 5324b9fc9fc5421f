/**
 * An API key as configuration holds it: never the key itself, only its hash, with the scopes it
 * carries and the tenants it may act for at each vendor.
 *
 *   { "id": "billing-sync", "hash": "sha256:9f86d0…", "scopes": ["read"],
 *     "tenants": { "zuora": ["8a80825555a3c7a10155b460f53858e6"], "m3ter": [], "revio": ["acmetel"] } }
 */

import type { Vendor } from '../upstreams/vendor.js';
import type { QueryLimits } from '../limits/query-limits.js';

/** `read` runs queries, `write` runs mutations; a key that writes usually reads too. */
export type Scope = 'read' | 'write';

export const SCOPES: readonly Scope[] = ['read', 'write'];

/**
 * Tenants a key may act for, per vendor. An empty list grants nothing at that vendor. Zuora
 * entity ids are kept hyphenated lower case (as config normalises them) and compared ignoring
 * hyphens and case; m3ter org ids and Rev.io client codes compare ignoring case.
 */
export type TenantGrant = { readonly [V in Vendor]: readonly string[] } & { readonly [vendor: string]: readonly string[] | undefined };

export interface ApiKeyRecord {
  /** This key's own query limits (a server-to-server key may get a larger budget); the rest are the gateway's. */
  limits?: Partial<QueryLimits>;
  /** Names the key in logs, audit lines and metrics; not secret. */
  id: string;
  /** `sha256:` and 64 lower-case hex digits: see `hashApiKey`. */
  hash: string;
  scopes: readonly Scope[];
  tenants: TenantGrant;
  /** A frontend's key: it may run only the operations of the trusted documents manifest, by id. */
  trustedDocumentsOnly?: boolean;
}
