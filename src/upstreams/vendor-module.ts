/**
 * One row of the vendor registry: everything the gateway's shared parts need to know about a
 * vendor, so config, tenancy, readiness and sandbox mode loop over rows instead of naming vendors.
 * A vendor's folder exports its row (`<vendor>/vendor.ts`); registry.ts lists them.
 */
import type { Config } from '../config.js';
import type { Provider as ProviderValue } from '../models.js';
import type { HttpTimeouts, UpstreamCallEvent } from './http.js';
import type { SharedReadEvent } from './read-sharing.js';
import type { RetryPolicy } from './retry-policy.js';
import type { TenantLimits } from './tenant-limiter.js';
import type { TokenFetchEvent } from './token-provider.js';
import type { SharedState } from '../shared-state/shared-state.js';
import type { TenantOf, VendorSettings } from './vendor-settings.js';
import type { BeforeUpstreamCall } from './request-scope.js';

/** What every vendor client of the process shares: resilience settings and the call listeners. */
export interface SharedClientOptions {
  retry: Readonly<RetryPolicy>;
  timeouts: Readonly<HttpTimeouts>;
  limits: Readonly<TenantLimits>;
  onUpstreamCall?: ((event: UpstreamCallEvent) => void) | undefined;
  /** Asked before each vendor call starts; throwing refuses it (a request's vendor-call budget). */
  beforeUpstreamCall?: BeforeUpstreamCall | undefined;
  onTokenFetch?: ((event: TokenFetchEvent) => void) | undefined;
  /**
   * Told of each read that waited for an identical one in flight instead of calling the vendor
   * (`server.shareVendorReads`, which each vendor's `connect` reads from config). Such a read is
   * neither asked of `beforeUpstreamCall` nor reported to `onUpstreamCall`: it made no call.
   */
  onSharedRead?: ((event: SharedReadEvent) => void) | undefined;
  /** Budgets, tokens and cached lists shared with other replicas through Redis; absent without `INTERLINK_REDIS_URL`. */
  sharedState?: SharedState | undefined;
}

/** A vendor's configured section: its base URL and tenants (credentials). */
export interface VendorSection<Tenant> {
  url: string;
  tenants: readonly Tenant[];
}

/** A vendor connected for the life of the process: one client per configured tenant. */
export interface ConnectedVendor<Provider> {
  /** Every tenant id served, in its canonical form, in config order. */
  readonly tenantIds: readonly string[];
  /** The provider acting for a tenant id (any accepted form); tenants sharing a credential share one. */
  providerFor(tenantId: string): Provider | undefined;
  /** The tenant id in its canonical form, when this gateway serves it. */
  served(tenantId: string): string | undefined;
  /** One cheap authenticated read per credential, for `/readyz`. */
  probe(): Promise<void>;
  /** Closes every keep-alive pool. */
  close(): void;
}

export interface VendorModule<Name extends string = string, Settings extends VendorSettings = VendorSettings, Provider = unknown, Tenant = TenantOf<Settings>> {
  /** The config section, grant key and metrics label: `zuora`. */
  readonly name: Name;
  /** Its section of the configuration: URL, tenant credentials, default limits (settings.ts). */
  readonly settings: Settings;
  /** What a tenant is called in messages: `Zuora entity`, `m3ter org`. */
  readonly tenantLabel: string;
  /** The request header that picks the tenant, lower case as Node delivers it. */
  readonly tenantHeader: string;
  /**
   * The GraphQL `Provider` value it serves `ExternalLink`s as (`M3TER`), for a vendor whose
   * providers are `LinkProvider`s; absent otherwise. Lists that merge the link providers
   * (`Query.externalLinks`, a grant's link providers) take them from these rows, in registry order.
   */
  readonly linkProvider?: ProviderValue;
  /** Whether two tenant ids (as keys grant them and headers send them) name the same tenant. */
  sameTenant(a: string, b: string): boolean;
  /** The tenant ids a configured tenant serves (a Zuora credential serves several entities). */
  tenantIdsOf(tenant: Tenant): readonly string[];
  /** `config` for settings a vendor takes beyond its section (Rev.io's system names). */
  connect(section: VendorSection<Tenant>, shared: SharedClientOptions, config: Config): ConnectedVendor<Provider>;
  /** Sandbox mode: the section that points at the embedded simulator's URL and seeded tenants. */
  sandboxSection(url: string, tenants: readonly Tenant[]): VendorSection<Tenant>;
}

/**
 * A vendor whose tenants each have one client: m3ter orgs, Rev.io client codes. Ids compare
 * ignoring case.
 */
export function onePerTenant<Tenant, Client extends { close(): void }, Provider>(options: {
  section: VendorSection<Tenant>;
  idOf: (tenant: Tenant) => string;
  client: (tenant: Tenant) => Client;
  provider: (client: Client) => Provider;
  probe: (provider: Provider) => Promise<void>;
}): ConnectedVendor<Provider> {
  const byId = new Map<string, { id: string; client: Client; provider: Provider }>();
  for (const tenant of options.section.tenants) {
    const client = options.client(tenant);
    byId.set(options.idOf(tenant).toLowerCase(), { id: options.idOf(tenant), client, provider: options.provider(client) });
  }
  return {
    tenantIds: [...byId.values()].map((entry) => entry.id),
    providerFor: (id) => byId.get(id.toLowerCase())?.provider,
    served: (id) => byId.get(id.toLowerCase())?.id,
    probe: async () => {
      await Promise.all([...byId.values()].map((entry) => options.probe(entry.provider)));
    },
    close: () => {
      for (const entry of byId.values()) entry.client.close();
    },
  };
}
