/**
 * One row of the settings table: where a value comes from (an environment variable, a path in
 * INTERLINK_CONFIG_FILE, or both), how it is checked, its default, and the line the README shows.
 * The loader, the file's zod schema and the README's table are all made from these rows.
 */
import type { ValueParser } from '../lib/config-values.js';

export interface Setting<T> {
  /** The environment variable; absent for a value only the file holds. */
  env?: string;
  /** Dotted path in INTERLINK_CONFIG_FILE (`[]` marks each item of a list); absent: environment only. */
  file?: string;
  parser: ValueParser<T>;
  /** Must be there in every item of its file list (a tenant's credentials); other file values may be left out. */
  required?: boolean;
  /** Taken when no source sets the value; absent means unset, or worked out by the loader. */
  default?: NoInfer<T>;
  /** The default as the README words it, where the value alone would not say it. */
  shownDefault?: string;
  /** One line: what the setting does, as the README shows it. */
  description: string;
}

/** A row whose value is never missing, since it has a default. */
export type DefaultedSetting<T> = Setting<T> & { default: NoInfer<T> };

/** Settings that land together in one object of `Config`, keyed by their name there. */
export type SettingGroup = Readonly<Record<string, Setting<unknown>>>;

/** Declares a row; the overloads keep "has a default" in the type, so its value is not optional. */
export function setting<T>(row: DefaultedSetting<T>): DefaultedSetting<T>;
export function setting<T>(row: Setting<T>): Setting<T>;
export function setting<T>(row: Setting<T>): Setting<T> {
  return row;
}

type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** One flat object type instead of an intersection, so editors show the fields. */
export type Simplify<T> = { -readonly [K in keyof T]: T[K] } & {};

/** The object a group of rows reads into: a row with a default is always there, one without may be absent. */
export type SettingValues<G> = Simplify<
  { -readonly [K in keyof G as G[K] extends { default: unknown } ? K : never]: ValueOf<G[K]> } & {
    -readonly [K in keyof G as G[K] extends { default: unknown } ? never : K]?: ValueOf<G[K]>;
  }
>;
