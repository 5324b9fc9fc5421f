/**
 * What configuration needs to know about one vendor: its URL variable, the fields of one tenant's
 * credentials, the field that tells tenants apart, its default client-side limits, and any
 * settings of its own. The loader, the file schema and the README's settings table loop over
 * these descriptors, so a vendor's section of the config is written once, in its folder.
 */
import type { SettingGroup, SettingValues, Simplify } from '../config/setting.js';
import type { ValueParser } from '../lib/config-values.js';
import type { TenantLimits } from './tenant-limiter.js';

/** One credential field of a tenant: `<env>` for the tenant given by variables, `<vendor>.tenants[].<field>` in the file. */
export interface TenantField<T> {
  env: string;
  /** A secret field's parser says so (`secret: true`): messages then show only its length. */
  parser: ValueParser<T>;
  description: string;
}

export interface VendorSettings<
  Name extends string = string,
  Fields extends Readonly<Record<string, TenantField<unknown>>> = Readonly<Record<string, TenantField<unknown>>>,
  Sections extends Readonly<Record<string, SettingGroup>> = Readonly<Record<string, SettingGroup>>,
> {
  /** The key under `config.upstreams`, in the file, and in `config.resilience.limits`. */
  name: Name;
  /** The vendor's name as people write it, for messages and the README. */
  label: string;
  url: { env: string; example: string };
  tenant: Fields;
  /** How an API key's grant names this vendor's tenants (`tenants.<name>` of a key record). */
  grant: { parser: ValueParser<string>; plural: string };
  /** The field that names a tenant: no two tenants may share it, and it is the default tenant label. */
  identity: string;
  /** What one tenant's limits count, e.g. "Zuora entity", as the README words it. */
  limitedPer: string;
  /** The vendor's own limit, when it has one worth quoting next to the default. */
  vendorLimit?: string;
  /** Defaults for `INTERLINK_<VENDOR>_CONCURRENCY` and `_RATE_PER_SECOND`; no rate means no cap. */
  limits: Readonly<TenantLimits>;
  /** Settings of this vendor's own, each group a top-level object of `Config` (Rev.io: `revioSystems`). */
  sections: Sections;
}

/** Declares a vendor, checking that its identity is one of its tenant fields. */
export function defineVendorSettings<
  const Name extends string,
  const Fields extends Readonly<Record<string, TenantField<unknown>>>,
  const Sections extends Readonly<Record<string, SettingGroup>>,
>(vendor: VendorSettings<Name, Fields, Sections> & { identity: keyof Fields & string }): VendorSettings<Name, Fields, Sections> {
  return vendor;
}

type ParsedBy<F> = F extends TenantField<infer T> ? T : never;

/** One tenant of a vendor: its fields as parsed, plus a `name` for logs and metrics (default: its identity). */
export type TenantOf<V> = V extends { tenant: infer Fields } ? Simplify<{ name: string } & { [K in keyof Fields]: ParsedBy<Fields[K]> }> : never;

/** The top-level `Config` objects a vendor adds, e.g. `{ revioSystems: { zuora: string; m3ter: string } }`. */
export type SectionsOf<V> = V extends { sections: infer Sections } ? { -readonly [K in keyof Sections]: SettingValues<Sections[K]> } : never;
