/**
 * Builds a frozen, typed `Config` from environment variables and an optional JSON file
 * (INTERLINK_CONFIG_FILE, which can list several tenants per vendor), and reports every bad value
 * at once: name, expected form, value got (secrets masked).
 *
 * No vendor URL at all means `mode: 'sandbox'` and `upstreams: undefined`: the entry point starts
 * the embedded sandbox and fills URLs and credentials in. Environment variables win over the
 * file; a tenant given by environment variables is listed first.
 */
import { LEASE_MS } from '../idempotency/write-once.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ApiKeyRecord } from '../callers/api-key-record.js';
import { ConfigError } from '../errors.js';
import type { ValueParser } from '../lib/config-values.js';
import { deepFreeze } from '../lib/deep-freeze.js';
import { describeValue } from '../lib/describe-value.js';
import { DEFAULT_RETRY_POLICY } from '../upstreams/retry-policy.js';
import type { TenantLimits } from '../upstreams/tenant-limiter.js';
import type { VendorSettings } from '../upstreams/vendor-settings.js';
import { apiKeySchema, checkApiKeys } from './api-keys.js';
import type { Config, ConfigFor, MutableConfigFor, ServerConfig, UpstreamsFor, VendorSectionsFor } from './config-types.js';
import { describeFileIssue, fileSchema, readJson, valueAt } from './file-schema.js';
import type { Setting, SettingGroup, SettingValues } from './setting.js';
import {
  allSettings,
  COMPRESSION_SETTINGS,
  FILE_SETTINGS,
  IDEMPOTENCY_SETTINGS,
  JWT_SETTINGS,
  limitSettings,
  QUERY_LIMIT_SETTINGS,
  RETRY_SETTINGS,
  SERVER_SETTINGS,
  SHARED_STATE_SETTINGS,
  TIMEOUT_SETTINGS,
  TRACING_SETTINGS,
  TRUSTED_DOCUMENT_SETTINGS,
  urlSetting,
  VENDOR_SETTINGS,
} from './settings.js';
import { isRecord } from '../lib/is-record.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type ReadFile = (path: string) => string;

/**
 * Pure with respect to its arguments, for tests: `loadConfig({ ... }, () => '{...}')`. `vendors`
 * defaults to Zuora, m3ter and Rev.io; each entry gets its section in the file and in `upstreams`.
 */
export function loadConfig(env?: Env, readFile?: ReadFile): Config;
export function loadConfig<const V extends readonly VendorSettings[]>(env: Env, readFile: ReadFile, vendors: V): ConfigFor<V>;
export function loadConfig(env: Env = process.env, readFile: ReadFile = readText, vendors: readonly VendorSettings[] = VENDOR_SETTINGS): object {
  return buildConfig(env, readFile, vendors);
}

function buildConfig<V extends readonly VendorSettings[]>(env: Env, readFile: ReadFile, vendors: V): ConfigFor<V> {
  const issues: string[] = [];
  // A variable that is set but invalid still counts as set: its own issue says what is wrong.
  const given = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  const fromEnv = <T>(name: string, parser: ValueParser<T>): T | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = parser.parse(raw);
    if (value === undefined) issues.push(`${name} must be ${parser.expected}, got ${describeValue(raw, parser.secret)}`);
    return value;
  };
  const { configFile, apiKeysFile } = readSettings(FILE_SETTINGS, fromEnv, undefined);
  const file = readConfigFile(configFile, readFile, vendors, issues);
  const read = <G extends SettingGroup>(group: G): SettingValues<G> => readSettings(group, fromEnv, file.data);

  const urls = new Map(vendors.map((vendor) => [vendor.name, read({ url: urlSetting(vendor) }).url]));
  const tenants = new Map(vendors.map((vendor) => [vendor.name, [...envTenant(vendor, env, fromEnv, issues), ...fileTenants(vendor, file.data)]]));
  const sections: Record<string, unknown> = {};
  for (const vendor of vendors) for (const [key, group] of Object.entries(vendor.sections)) sections[key] = read(group);
  const retry = { ...read(RETRY_SETTINGS), noiseMs: DEFAULT_RETRY_POLICY.noiseMs };
  const timeouts = read(TIMEOUT_SETTINGS);
  if (timeouts.deadlineMs < timeouts.attemptMs) {
    issues.push(`${TIMEOUT_SETTINGS.deadlineMs.env} must be at least the attempt timeout (${timeouts.attemptMs} ms), got ${timeouts.deadlineMs}`);
  }
  const limits = Object.fromEntries(vendors.map((vendor) => [vendor.name, tenantLimits(read(limitSettings(vendor)))]));

  const hasUrl = (vendor: VendorSettings): boolean => given(vendor.url.env) || valueAt(file.data, `${vendor.name}.url`) !== undefined;
  const hasTenants = (vendor: VendorSettings): boolean => Object.values(vendor.tenant).some(({ env: name }) => given(name)) || fileTenants(vendor, file.data).length > 0;
  const configured = vendors.filter(hasUrl);
  const mode: 'sandbox' | 'upstream' = configured.length === 0 ? 'sandbox' : 'upstream';
  // An invalid file was dropped whole; checks across sources would only repeat its issues.
  for (const vendor of file.valid ? vendors : []) {
    if (mode === 'upstream' && !hasUrl(vendor)) {
      issues.push(`${vendor.url.env} is required once any vendor URL is set (${configured.map((v) => v.url.env).join(', ')}); set all ${count(vendors.length)}, or none to use the embedded sandbox`);
    } else if (mode === 'upstream' && !hasTenants(vendor)) {
      issues.push(`${vendor.name} has no credentials: set ${Object.values(vendor.tenant).map(({ env: name }) => name).join(', ')}, or list ${vendor.name}.tenants in INTERLINK_CONFIG_FILE`);
    } else if (mode === 'sandbox' && hasTenants(vendor)) {
      issues.push(`${vendor.name} credentials are set but ${vendor.url.env} is not: set the URL, or remove the credentials to use the embedded sandbox`);
    }
    const seen = new Set<unknown>();
    for (const tenant of tenants.get(vendor.name) ?? []) {
      const identity = tenant[vendor.identity];
      if (seen.has(identity)) issues.push(`${vendor.name} lists ${vendor.identity} ${describeValue(identity)} twice (environment and INTERLINK_CONFIG_FILE together)`);
      seen.add(identity);
    }
  }

  const apiKeys = [...file.apiKeys, ...readApiKeysFile(apiKeysFile, readFile, vendors, issues)];
  checkApiKeys(apiKeys, vendors, issues);
  const serverValues = read(SERVER_SETTINGS);
  const server: ServerConfig = { ...serverValues, introspection: serverValues.introspection ?? mode === 'sandbox', apiKeys };
  // A request waits for admission before its body is read, inside Node's whole-request timeout:
  // a wait as long as that timeout would answer every queued request 408 instead of 503.
  if (server.requestTimeoutMs <= server.maxQueueWaitMs + 5_000) {
    issues.push(`INTERLINK_REQUEST_TIMEOUT_MS (${server.requestTimeoutMs}) must be more than 5 s longer than INTERLINK_MAX_QUEUE_WAIT_MS (${server.maxQueueWaitMs}): a request waits for admission before its body is read`);
  }
  const idempotency = read(IDEMPOTENCY_SETTINGS);
  // A record that expired while its write's lease ran would let a replay write again unread.
  if (idempotency.ttlMs <= LEASE_MS) {
    issues.push(`INTERLINK_IDEMPOTENCY_TTL_MS must be longer than a write's lease (${LEASE_MS} ms), so a record outlives any write it guards; got ${idempotency.ttlMs}`);
  }
  const sharedState = read(SHARED_STATE_SETTINGS);
  const queryLimits = read(QUERY_LIMIT_SETTINGS);
  const jwt = read(JWT_SETTINGS);
  checkJwt(jwt, issues);
  const trustedDocuments = read(TRUSTED_DOCUMENT_SETTINGS);
  const compression = read(COMPRESSION_SETTINGS);
  const tracing = read(TRACING_SETTINGS);
  if (issues.length > 0) throw new ConfigError(issues);

  // Checked above: in upstream mode every vendor has a URL. The loops over `vendors` build what
  // the casts name: one entry per descriptor, typed from the same descriptors.
  const upstreams = mode === 'sandbox' ? undefined : Object.fromEntries(vendors.map((vendor) => [vendor.name, { url: urls.get(vendor.name), tenants: tenants.get(vendor.name) }]));
  const config: MutableConfigFor<V> = Object.assign(
    {
      mode,
      upstreams: upstreams as UpstreamsFor<V> | undefined,
      resilience: { retry, timeouts, limits: limits as Record<V[number]['name'], TenantLimits> },
      server,
      idempotency,
      sharedState,
      queryLimits,
      jwt,
      trustedDocuments,
      compression,
      tracing,
    },
    sections as VendorSectionsFor<V>,
  );
  return deepFreeze(config);
}

/** One JWKS source, and with it the issuer and audience every token is checked against. */
function checkJwt(jwt: SettingValues<typeof JWT_SETTINGS>, issues: string[]): void {
  const { jwksUrl, jwksFile, issuer, audience } = JWT_SETTINGS;
  if (jwt.jwksUrl !== undefined && jwt.jwksFile !== undefined) issues.push(`${jwksUrl.env} and ${jwksFile.env} are both set; name the JWKS once`);
  const on = jwt.jwksUrl !== undefined || jwt.jwksFile !== undefined;
  for (const row of [issuer, audience] as const) {
    const value = row === issuer ? jwt.issuer : jwt.audience;
    if (on && value === undefined) issues.push(`${row.env} must be ${row.parser.expected} when a JWKS is set (${jwt.jwksUrl !== undefined ? jwksUrl.env : jwksFile.env}), got nothing`);
    if (!on && value !== undefined) issues.push(`${row.env} is set but no JWKS is: set ${jwksUrl.env} or ${jwksFile.env} to accept JWT callers`);
  }
}

type FromEnv = <T>(name: string, parser: ValueParser<T>) => T | undefined;

/** Environment, then file, then default. The cast is sound: each value passed its row's parser, here or in the file schema. */
function readSettings<G extends SettingGroup>(group: G, fromEnv: FromEnv, fileData: unknown): SettingValues<G> {
  const value = (row: Setting<unknown>): unknown =>
    (row.env === undefined ? undefined : fromEnv(row.env, row.parser)) ?? (row.file === undefined ? undefined : valueAt(fileData, row.file)) ?? row.default;
  const entries = Object.entries(group).map(([name, row]) => [name, value(row)] as const);
  // Absent rather than undefined, so an unset optional value (a Redis URL) leaves no key behind.
  return Object.fromEntries(entries.filter(([, item]) => item !== undefined)) as SettingValues<G>;
}

type Tenant = Record<string, unknown>;

/** The single-tenant variables of one vendor: none set, or all set and valid. */
function envTenant(vendor: VendorSettings, env: Env, fromEnv: FromEnv, issues: string[]): Tenant[] {
  const fields = Object.entries(vendor.tenant);
  const given = fields.map(([, { env: name }]) => name).filter((name) => env[name] !== undefined && env[name] !== '');
  if (given.length === 0) return [];
  const tenant: Tenant = {};
  let complete = true;
  for (const [field, { env: name, parser }] of fields) {
    if (env[name] === undefined || env[name] === '') {
      issues.push(`${name} must be ${parser.expected} (${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set), got nothing`);
      complete = false;
      continue;
    }
    const value = fromEnv(name, parser);
    if (value === undefined) complete = false;
    tenant[field] = value;
  }
  return complete ? [{ ...tenant, name: tenant[vendor.identity] }] : [];
}

/** The file's tenants of one vendor, already checked by the file schema; `name` defaults to the identity. */
function fileTenants(vendor: VendorSettings, data: unknown): Tenant[] {
  const listed = valueAt(data, `${vendor.name}.tenants`);
  if (!Array.isArray(listed)) return [];
  return listed.filter(isRecord).map((tenant) => ({ ...tenant, name: tenant.name ?? tenant[vendor.identity] }));
}

/** A rate of 0 means no cap, which the limiter spells as no `ratePerSecond`. */
function tenantLimits({ concurrency, ratePerSecond }: { concurrency: number; ratePerSecond: number }): TenantLimits {
  return ratePerSecond === 0 ? { concurrency } : { concurrency, ratePerSecond };
}

function count(n: number): string {
  return ['none', 'one', 'two', 'three', 'four', 'five'][n] ?? String(n);
}

interface ConfigFile {
  /** False when the file was named but unusable: its data is then dropped whole. */
  valid: boolean;
  /** The parsed file, after the schema's checks and normalisation. */
  data: unknown;
  apiKeys: ApiKeyRecord[];
}

function readConfigFile(path: string | undefined, readFile: ReadFile, vendors: readonly VendorSettings[], issues: string[]): ConfigFile {
  const data = readJson('INTERLINK_CONFIG_FILE', path, readFile, issues);
  if (data === undefined) return { valid: path === undefined, data: undefined, apiKeys: [] };
  // API key records are not settings: they have their own schema, the one INTERLINK_API_KEYS_FILE uses.
  const settings = fileSchema(allSettings(vendors), ['apiKeys']).safeParse(data, { reportInput: true });
  const keys = isRecord(data) ? z.object({ apiKeys: z.array(apiKeySchema(vendors)).optional() }).safeParse(data, { reportInput: true }) : undefined;
  const failures = [...(settings.error?.issues ?? []), ...(keys?.error?.issues ?? [])];
  for (const issue of failures) issues.push(describeFileIssue(issue, 'INTERLINK_CONFIG_FILE'));
  if (!settings.success || keys?.success !== true) return { valid: false, data: undefined, apiKeys: [] };
  return { valid: true, data: settings.data, apiKeys: keys.data.apiKeys ?? [] };
}

function readApiKeysFile(path: string | undefined, readFile: ReadFile, vendors: readonly VendorSettings[], issues: string[]): ApiKeyRecord[] {
  const data = readJson('INTERLINK_API_KEYS_FILE', path, readFile, issues);
  if (data === undefined) return [];
  const result = z.array(apiKeySchema(vendors)).safeParse(data, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(describeFileIssue(issue, 'INTERLINK_API_KEYS_FILE'));
    return [];
  }
  return result.data;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
