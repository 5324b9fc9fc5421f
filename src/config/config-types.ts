/**
 * The types of `Config`, worked out from the settings table and the vendor descriptors rather
 * than written again: a new row or tenant field shows up here by itself. `ConfigFor<V>` is the
 * config of any list of vendors; `Config` is the one for the three real ones.
 */
import type { ApiKeyRecord } from '../callers/api-key-record.js';
import type { DeepReadonly } from '../lib/deep-freeze.js';
import type { QueryLimits } from '../limits/query-limits.js';
import type { HttpTimeouts } from '../upstreams/http.js';
import type { M3TER_SETTINGS } from '../upstreams/m3ter/settings.js';
import type { RetryPolicy } from '../upstreams/retry-policy.js';
import type { REVIO_SETTINGS } from '../upstreams/revio/settings.js';
import type { TenantLimits } from '../upstreams/tenant-limiter.js';
import type { SectionsOf, TenantOf, VendorSettings } from '../upstreams/vendor-settings.js';
import type { ZUORA_SETTINGS } from '../upstreams/zuora/settings.js';
import type { SettingValues } from './setting.js';
import type { COMPRESSION_SETTINGS, IDEMPOTENCY_SETTINGS, JWT_SETTINGS, SERVER_SETTINGS, SHARED_STATE_SETTINGS, TRACING_SETTINGS, TRUSTED_DOCUMENT_SETTINGS, VENDOR_SETTINGS } from './settings.js';

/** Entity ids are hyphenated lower case, as sent in `Zuora-Entity-Ids`. */
export type ZuoraTenant = TenantOf<typeof ZUORA_SETTINGS>;
export type M3terTenant = TenantOf<typeof M3TER_SETTINGS>;
export type RevioTenant = TenantOf<typeof REVIO_SETTINGS>;

export interface VendorConfig<Tenant> {
  /** Scheme and host, no trailing slash. */
  url: string;
  tenants: Tenant[];
}

export type UpstreamsFor<V extends readonly VendorSettings[]> = { [D in V[number] as D['name']]: VendorConfig<TenantOf<D>> };
export type UpstreamsConfig = UpstreamsFor<typeof VENDOR_SETTINGS>;

export interface ResilienceFor<Name extends string> {
  retry: RetryPolicy;
  timeouts: HttpTimeouts;
  limits: Record<Name, TenantLimits>;
}
export type ResilienceConfig = ResilienceFor<(typeof VENDOR_SETTINGS)[number]['name']>;

/** The gateway process itself: where it listens, what it logs, who may call it. */
export type ServerConfig = Required<SettingValues<typeof SERVER_SETTINGS>> & {
  /**
   * From `apiKeys` in INTERLINK_CONFIG_FILE, then INTERLINK_API_KEYS_FILE. Empty in sandbox mode
   * means the entry point makes a development key.
   */
  apiKeys: ApiKeyRecord[];
};

/** The `clientMutationId` records; `redisUrl` is a secret (it may hold a password), never logged. */
export type IdempotencyConfig = SettingValues<typeof IDEMPOTENCY_SETTINGS>;

/** What replicas share through Redis besides those records; `tokenKey` is a secret, never logged. */
export type SharedStateConfig = SettingValues<typeof SHARED_STATE_SETTINGS>;

/** JWT callers; off (no JWKS) by default. */
export type JwtConfig = SettingValues<typeof JWT_SETTINGS>;
export type TrustedDocumentsConfig = SettingValues<typeof TRUSTED_DOCUMENT_SETTINGS>;
export type CompressionConfig = SettingValues<typeof COMPRESSION_SETTINGS>;
/** OpenTelemetry traces; off unless an OTLP endpoint is set. */
export type TracingConfig = SettingValues<typeof TRACING_SETTINGS>;

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (intersection: infer I) => void ? I : never;

export type MutableConfigFor<V extends readonly VendorSettings[]> = {
  /** `sandbox` when no vendor URL is configured: the entry point fills `upstreams` in. */
  mode: 'upstream' | 'sandbox';
  upstreams: UpstreamsFor<V> | undefined;
  resilience: ResilienceFor<V[number]['name']>;
  server: ServerConfig;
  idempotency: IdempotencyConfig;
  sharedState: SharedStateConfig;
  /** What one request may ask and spend (src/limits/); an API key's own `limits` override these. */
  queryLimits: QueryLimits;
  jwt: JwtConfig;
  trustedDocuments: TrustedDocumentsConfig;
  compression: CompressionConfig;
  tracing: TracingConfig;
} & VendorSectionsFor<V>;

/** The top-level objects the vendors add, e.g. `revioSystems`. */
export type VendorSectionsFor<V extends readonly VendorSettings[]> = UnionToIntersection<SectionsOf<V[number]>>;

export type MutableConfig = MutableConfigFor<typeof VENDOR_SETTINGS>;
export type ConfigFor<V extends readonly VendorSettings[]> = DeepReadonly<MutableConfigFor<V>>;
export type Config = ConfigFor<typeof VENDOR_SETTINGS>;
