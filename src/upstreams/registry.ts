/**
 * The vendor registry: one row per vendor (its folder's `vendor.ts`). Config, tenancy, readiness
 * and sandbox mode loop over these rows; adding a vendor is its folder plus one row here.
 */
import type { Provider } from '../models.js';
import { m3terVendor } from './m3ter/vendor.js';
import { revioVendor } from './revio/vendor.js';
import type { VendorModule } from './vendor-module.js';
import { zuoraVendor } from './zuora/vendor.js';

export const VENDOR_REGISTRY = [zuoraVendor, m3terVendor, revioVendor] as const;

/** The rows as the shared parts loop over them, a test's extra vendor included. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows differ in tenant and provider types
export type VendorRegistry = readonly VendorModule<string, any, unknown, any>[];

type SettingsOf<Rows extends readonly { settings: unknown }[]> = { readonly [K in keyof Rows]: Rows[K]['settings'] };

/** Each row's configuration section, in registry order: what `loadConfig` reads by default. */
export const VENDOR_SETTINGS = VENDOR_REGISTRY.map((row) => row.settings) as unknown as SettingsOf<typeof VENDOR_REGISTRY>;

/** The `Provider` values of the rows that serve links, in registry order: the order lists merge them in. */
export function linkProvidersOf(registry: VendorRegistry): readonly Provider[] {
  return registry.flatMap((row) => (row.linkProvider === undefined ? [] : [row.linkProvider]));
}

/** The link providers of this build's vendors: `['M3TER', 'REVIO']`. */
export const LINK_PROVIDERS = linkProvidersOf(VENDOR_REGISTRY);
