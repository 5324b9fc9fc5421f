/**
 * Sandbox mode: when no vendor URL is configured, the entry point starts the embedded sandbox and
 * configures the gateway with its URLs and seeded credentials through this function, one vendor
 * row at a time. The shape below is declared here, not imported, because src/ never depends on
 * the sandbox's code.
 */
import type { TenantGrant } from './callers/api-key-record.js';
import type { Config, MutableConfig } from './config.js';
import { deepFreeze } from './lib/deep-freeze.js';
import { VENDOR_REGISTRY, type VendorRegistry } from './upstreams/index.js';

export interface SandboxEndpoints {
  /** Each simulator's base URL, by vendor name. */
  urls: object;
  /** Each simulator's seeded tenants, by vendor name, in the shape of that vendor's config. */
  tenants: object;
}

export function withSandboxUpstreams(config: Config, sandbox: SandboxEndpoints, registry: VendorRegistry = VENDOR_REGISTRY): Config {
  const upstreams = Object.fromEntries(
    registry.map((vendor) => {
      const url = (sandbox.urls as Readonly<Record<string, string | undefined>>)[vendor.name];
      const tenants = (sandbox.tenants as Readonly<Record<string, readonly unknown[] | undefined>>)[vendor.name];
      if (url === undefined || tenants === undefined) throw new Error(`the sandbox has no ${vendor.name} simulator`);
      return [vendor.name, vendor.sandboxSection(url, tenants)];
    }),
  );
  const next = { ...structuredClone(config as MutableConfig), mode: 'sandbox', upstreams: upstreams as unknown as MutableConfig['upstreams'] } satisfies MutableConfig;
  return deepFreeze(next) as Config;
}

/** Every tenant id the sandbox serves, by vendor name: the development key's grant. */
export function sandboxGrant(config: Config, registry: VendorRegistry = VENDOR_REGISTRY): TenantGrant {
  const sections = (config.upstreams ?? {}) as unknown as Readonly<Record<string, { tenants: readonly unknown[] }>>;
  const grant = Object.fromEntries(registry.map((vendor) => [vendor.name, (sections[vendor.name]?.tenants ?? []).flatMap((tenant) => [...vendor.tenantIdsOf(tenant)])]));
  return grant as unknown as TenantGrant;
}
