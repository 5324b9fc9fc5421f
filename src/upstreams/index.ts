/**
 * The gateway's vendors, connected once per process from config: one client per configured
 * tenant, each behind its vendor's provider (providers.ts). Clients hold tokens and keep-alive
 * sockets, so they outlive requests; loaders, which hold per-request data, are built per request
 * on top of these.
 */
import type { Config } from '../config.js';
import type { UpstreamCallEvent } from './http.js';
import type { Provider } from '../models.js';
import type { EntityDirectory, LinkProvider, M3terLinks, RevioLinks } from './providers.js';
import { VENDOR_REGISTRY, type VendorRegistry } from './registry.js';
import type { TenantLimits } from './tenant-limiter.js';
import { localShare } from '../shared-state/shared-budget.js';
import type { SharedState } from '../shared-state/shared-state.js';
import type { SharedReadEvent } from './read-sharing.js';
import type { TokenFetchEvent } from './token-provider.js';
import type { ConnectedVendor, VendorModule, VendorSection } from './vendor-module.js';
import type { BeforeUpstreamCall } from './request-scope.js';

export type { Call, ConnectionTransition, EntityDirectory, LinkProvider, M3terLinks, PageReader, Paging, PreparedLinkCreate, RevioLinks } from './providers.js';
export type { ConnectedVendor, VendorModule } from './vendor-module.js';
export type { Vendor } from './vendor.js';
export { LINK_PROVIDERS, linkProvidersOf, VENDOR_REGISTRY, type VendorRegistry } from './registry.js';
export { zuoraEntityKey, zuoraIdOf } from './zuora/entity-id-forms.js';

export interface UpstreamListeners {
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Asked before each vendor call starts; throwing refuses it (a request's vendor-call budget). */
  beforeUpstreamCall?: BeforeUpstreamCall | undefined;
  onTokenFetch?: (event: TokenFetchEvent) => void;
  /** A read that joined an identical one in flight (`server.shareVendorReads`): it made no vendor call. */
  onSharedRead?: (event: SharedReadEvent) => void;
}

/** A vendor whose row declares a `linkProvider`: its providers are `LinkProvider`s. */
export interface LinkVendor {
  readonly module: VendorModule;
  readonly connected: ConnectedVendor<LinkProvider>;
}

export interface Upstreams {
  zuora: ConnectedVendor<EntityDirectory>;
  /** For m3ter's own features (mapping configuration, linkEverywhere's m3ter part); lists of links use `linkProviders`. */
  m3ter: ConnectedVendor<M3terLinks>;
  /** For Rev.io's own features (catalog, linkEverywhere's Rev.io part); lists of links use `linkProviders`. */
  revio: ConnectedVendor<RevioLinks>;
  /** Every connected vendor with its registry row, in registry order (a test's extra vendor included). */
  readonly vendors: readonly { module: VendorModule; connected: ConnectedVendor<unknown> }[];
  /** The vendors that serve links, by the `Provider` value their rows declare, in registry order. */
  readonly linkProviders: ReadonlyMap<Provider, LinkVendor>;
  /** A tenant's link provider (tenant id in any accepted form); undefined for a tenant not served or a provider no row declares. */
  linkProviderFor(provider: Provider, tenantId: string): LinkProvider | undefined;
  /** Closes every keep-alive pool. */
  close(): void;
}

/**
 * `sharedState`: the Redis-backed budgets, tokens and caches replicas share. Without it, a
 * replica of several (`INTERLINK_REPLICAS`) keeps to its share of each vendor limit.
 */
export function createUpstreams(config: Config, listeners: UpstreamListeners = {}, registry: VendorRegistry = VENDOR_REGISTRY, sharedState?: SharedState): Upstreams {
  const sections = config.upstreams as Readonly<Record<string, VendorSection<unknown>>> | undefined;
  if (!sections) throw new Error('createUpstreams needs vendor URLs and credentials; start the sandbox first in sandbox mode');
  const { retry, timeouts, limits } = config.resilience;
  const vendors = registry.map((module) => {
    const section = sections[module.name];
    if (section === undefined) throw new Error(`config has no ${module.name} section`);
    const configured = (limits as Readonly<Record<string, TenantLimits>>)[module.name] ?? module.settings.limits;
    const connected = module.connect(section, {
      retry,
      timeouts,
      limits: sharedState === undefined ? localShare(configured, config.sharedState.replicas) : configured,
      sharedState,
      onUpstreamCall: listeners.onUpstreamCall,
      beforeUpstreamCall: listeners.beforeUpstreamCall,
      onTokenFetch: listeners.onTokenFetch,
      onSharedRead: listeners.onSharedRead,
    }, config);
    return { module, connected };
  });
  const byName = new Map(vendors.map((vendor) => [vendor.module.name, vendor.connected]));
  const linkProviders = new Map<Provider, LinkVendor>();
  for (const { module, connected } of vendors) {
    if (module.linkProvider === undefined) continue;
    if (linkProviders.has(module.linkProvider)) throw new Error(`vendors ${linkProviders.get(module.linkProvider)!.module.name} and ${module.name} both declare link provider ${module.linkProvider}`);
    linkProviders.set(module.linkProvider, { module, connected: connected as ConnectedVendor<LinkProvider> });
  }
  return {
    zuora: byName.get('zuora') as ConnectedVendor<EntityDirectory>,
    m3ter: byName.get('m3ter') as ConnectedVendor<M3terLinks>,
    revio: byName.get('revio') as ConnectedVendor<RevioLinks>,
    vendors,
    linkProviders,
    linkProviderFor: (provider, tenantId) => linkProviders.get(provider)?.connected.providerFor(tenantId),
    close: () => {
      for (const { connected } of vendors) connected.close();
    },
  };
}
