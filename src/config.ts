/**
 * The only reader of `process.env`. Builds a frozen, typed `Config` from environment variables
 * and an optional JSON file (`INTERLINK_CONFIG_FILE`, which can list several tenants per
 * vendor), and reports every bad value at once: name, expected form, value got (secrets masked).
 *
 * No vendor URL at all means `mode: 'sandbox'` and `upstreams: undefined`: the entry point
 * starts the embedded sandbox and fills URLs and credentials in. Environment variables win over
 * the file; a tenant given by environment variables is listed first.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SCOPES, type ApiKeyRecord, type Scope } from './callers/api-key-record.js';
import { ConfigError } from './errors.js';
import { DEFAULT_IDEMPOTENCY_MAX_ENTRIES, DEFAULT_IDEMPOTENCY_TTL_MS } from './idempotency/memory-idempotency-store.js';
import { httpOrigin, integer, uuid, word, zuoraEntityIds, type ValueParser } from './lib/config-values.js';
import { deepFreeze, type DeepReadonly } from './lib/deep-freeze.js';
import { describeValue } from './lib/describe-value.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/query-limits.js';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from './upstreams/http.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './upstreams/retry-policy.js';
import { DEFAULT_TENANT_LIMITS, type TenantLimits } from './upstreams/tenant-limiter.js';
import { VENDORS, type Vendor } from './upstreams/vendor.js';

export interface ZuoraTenant {
  /** A label for logs and metrics (default: the client id). */
  name: string;
  clientId: string;
  clientSecret: string;
  /** Hyphenated lower case, as sent in `Zuora-Entity-Ids`. */
  entityIds: string[];
}

export interface M3terTenant {
  name: string;
  orgId: string;
  accessKeyId: string;
  apiSecret: string;
}

export interface RevioTenant {
  name: string;
  clientCode: string;
  login: string;
  password: string;
  subscriptionKey: string;
}

export interface VendorConfig<Tenant> {
  /** Scheme and host, no trailing slash. */
  url: string;
  tenants: Tenant[];
}

export interface UpstreamsConfig {
  zuora: VendorConfig<ZuoraTenant>;
  m3ter: VendorConfig<M3terTenant>;
  revio: VendorConfig<RevioTenant>;
}

export interface ResilienceConfig {
  retry: RetryPolicy;
  timeouts: HttpTimeouts;
  limits: Record<Vendor, TenantLimits>;
}

/** pino's levels; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The gateway process itself: where it listens, what it logs, who may call it. */
export interface ServerConfig {
  /** `INTERLINK_PORT`, default 4000 (0: any free port). */
  port: number;
  /** `INTERLINK_HOST`, default 127.0.0.1 (loopback only); the Docker image sets 0.0.0.0. */
  host: string;
  /** `INTERLINK_LOG_LEVEL`, default info. */
  logLevel: LogLevel;
  /** `INTERLINK_INTROSPECTION`, default on in sandbox mode and off otherwise. */
  introspection: boolean;
  /** `INTERLINK_READINESS_CACHE_MS`, default 2000: how long `/readyz` reuses one round of probes. */
  readinessCacheMs: number;
  /**
   * From `apiKeys` in INTERLINK_CONFIG_FILE, then INTERLINK_API_KEYS_FILE (a JSON array of the
   * same records). Empty in sandbox mode means the entry point makes a development key.
   */
  apiKeys: ApiKeyRecord[];
}

/** The in-memory store of `clientMutationId` records (src/idempotency/memory-idempotency-store.ts). */
export interface IdempotencyConfig {
  /** `INTERLINK_IDEMPOTENCY_TTL_MS`, default 24 h: how long a replay gets the first answer. */
  ttlMs: number;
  /** `INTERLINK_IDEMPOTENCY_MAX_ENTRIES`, default 100,000: the oldest finished records go first. */
  maxEntries: number;
  /**
   * `INTERLINK_REDIS_URL` (off by default): replicas share their records through this Redis
   * instead of each keeping its own in memory. A secret (it may hold a password): never logged.
   */
  redisUrl?: string;
}

export interface MutableConfig {
  /** `sandbox` when no vendor URL is configured: the entry point fills `upstreams` in. */
  mode: 'upstream' | 'sandbox';
  upstreams: UpstreamsConfig | undefined;
  /** Rev.io integration-system names resolved to ids at startup (CONTRACTS §3.5). */
  revioSystems: { zuora: string; m3ter: string };
  resilience: ResilienceConfig;
  server: ServerConfig;
  idempotency: IdempotencyConfig;
  /** What one request may ask and spend (src/limits/); an API key's own `limits` override these. */
  queryLimits: QueryLimits;
}

export type Config = DeepReadonly<MutableConfig>;

type Env = Readonly<Record<string, string | undefined>>;

const URL_VARS = { zuora: 'INTERLINK_ZUORA_URL', m3ter: 'INTERLINK_M3TER_URL', revio: 'INTERLINK_REVIO_URL' } as const;

const CREDENTIAL_VARS = {
  zuora: { clientId: 'INTERLINK_ZUORA_CLIENT_ID', clientSecret: 'INTERLINK_ZUORA_CLIENT_SECRET', entityIds: 'INTERLINK_ZUORA_ENTITY_IDS' },
  m3ter: { orgId: 'INTERLINK_M3TER_ORG_ID', accessKeyId: 'INTERLINK_M3TER_ACCESS_KEY_ID', apiSecret: 'INTERLINK_M3TER_API_SECRET' },
  revio: {
    clientCode: 'INTERLINK_REVIO_CLIENT_CODE',
    login: 'INTERLINK_REVIO_LOGIN',
    password: 'INTERLINK_REVIO_PASSWORD',
    subscriptionKey: 'INTERLINK_REVIO_SUBSCRIPTION_KEY',
  },
} as const;

// Lengths from CONTRACTS §1.1 (client_id 36, client_secret up to 42), with room for other sites.
const CREDENTIAL_PARSERS = {
  zuora: {
    clientId: word('a Zuora OAuth client id (no spaces)', { max: 64 }),
    clientSecret: word('a Zuora OAuth client secret (no spaces)', { secret: true, max: 128 }),
    entityIds: zuoraEntityIds,
  },
  m3ter: {
    orgId: uuid,
    accessKeyId: word('an m3ter service-user access key id (no spaces)'),
    apiSecret: word('an m3ter service-user API secret (no spaces)', { secret: true }),
  },
  revio: {
    clientCode: word('a Rev.io client code (no spaces)'),
    // Rev.io logins must not be email addresses (CONTRACTS §3.1).
    login: word('a Rev.io login that is not an email address', { notEmail: true }),
    password: word('a Rev.io password (no spaces)', { secret: true }),
    subscriptionKey: word('a Rev.io APIM subscription key (no spaces)', { secret: true }),
  },
} satisfies Record<Vendor, Record<string, ValueParser<unknown>>>;

const TENANT_KEY = { zuora: 'clientId', m3ter: 'orgId', revio: 'clientCode' } as const;

const systemName = word('a Rev.io integration system name (no spaces)', { max: 64 });

/** Documented defaults: see `DEFAULT_RETRY_POLICY`, `DEFAULT_TIMEOUTS` and `DEFAULT_TENANT_LIMITS`. */
const RESILIENCE_VARS = {
  attemptTimeoutMs: ['INTERLINK_UPSTREAM_ATTEMPT_TIMEOUT_MS', integer(100, 120_000, 'ms')],
  deadlineMs: ['INTERLINK_UPSTREAM_DEADLINE_MS', integer(100, 300_000, 'ms')],
  // At most 3: CONTRACTS §0 caps attempts per call.
  maxAttempts: ['INTERLINK_UPSTREAM_MAX_ATTEMPTS', integer(1, 3)],
  maxRetryAfterMs: ['INTERLINK_UPSTREAM_MAX_RETRY_AFTER_MS', integer(0, 5000, 'ms')],
  backoffBaseMs: ['INTERLINK_UPSTREAM_BACKOFF_BASE_MS', integer(1, 10_000, 'ms')],
  backoffLimitMs: ['INTERLINK_UPSTREAM_BACKOFF_LIMIT_MS', integer(1, 30_000, 'ms')],
} as const;

const concurrency = integer(1, 1000);
// 0 turns the rate cap off.
const ratePerSecond = integer(0, 10_000, 'calls per second, 0 for no cap');

/** Pure with respect to its arguments, for tests: `loadConfig({ ... }, () => '{...}')`. */
export function loadConfig(env: Env = process.env, readFile: (path: string) => string = readText): Config {
  const issues: string[] = [];
  const file = readConfigFile(env.INTERLINK_CONFIG_FILE, readFile, issues);
  const fromEnv = <T>(name: string, parser: ValueParser<T>): T | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = parser.parse(raw);
    if (value === undefined) issues.push(`${name} must be ${parser.expected}, got ${describeValue(raw, parser.secret)}`);
    return value;
  };

  const urls = Object.fromEntries(VENDORS.map((vendor) => [vendor, fromEnv(URL_VARS[vendor], httpOrigin) ?? file.vendors[vendor]?.url]));
  const tenants = {
    zuora: [...envTenant('zuora', env, fromEnv, issues), ...(file.vendors.zuora?.tenants ?? [])],
    m3ter: [...envTenant('m3ter', env, fromEnv, issues), ...(file.vendors.m3ter?.tenants ?? [])],
    revio: [...envTenant('revio', env, fromEnv, issues), ...(file.vendors.revio?.tenants ?? [])],
  };
  const revioSystems = {
    zuora: fromEnv('INTERLINK_REVIO_SYSTEM_ZUORA', systemName) ?? file.vendors.revio?.systemNames?.zuora ?? 'ZUORA',
    m3ter: fromEnv('INTERLINK_REVIO_SYSTEM_M3TER', systemName) ?? file.vendors.revio?.systemNames?.m3ter ?? 'M3TER',
  };
  const resilience = readResilience(env, file.resilience, fromEnv, issues);

  // A variable that is set but invalid still counts as set: its own issue says what is wrong.
  const given = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  const hasUrl = (vendor: Vendor): boolean => given(URL_VARS[vendor]) || file.vendors[vendor]?.url !== undefined;
  const hasTenants = (vendor: Vendor): boolean =>
    Object.values(CREDENTIAL_VARS[vendor]).some(given) || (file.vendors[vendor]?.tenants?.length ?? 0) > 0;
  const configured = VENDORS.filter(hasUrl);
  const mode = configured.length === 0 ? 'sandbox' : 'upstream';
  // An invalid file was dropped whole; checks across sources would only repeat its issues.
  for (const vendor of file.valid ? VENDORS : []) {
    if (mode === 'upstream' && !hasUrl(vendor)) {
      issues.push(`${URL_VARS[vendor]} is required once any vendor URL is set (${configured.map((v) => URL_VARS[v]).join(', ')}); set all three, or none to use the embedded sandbox`);
    } else if (mode === 'upstream' && !hasTenants(vendor)) {
      issues.push(`${vendor} has no credentials: set ${Object.values(CREDENTIAL_VARS[vendor]).join(', ')}, or list ${vendor}.tenants in INTERLINK_CONFIG_FILE`);
    } else if (mode === 'sandbox' && hasTenants(vendor)) {
      issues.push(`${vendor} credentials are set but ${URL_VARS[vendor]} is not: set the URL, or remove the credentials to use the embedded sandbox`);
    }
    const key = TENANT_KEY[vendor];
    const seen = new Set<string>();
    for (const tenant of tenants[vendor] as unknown as Record<string, string>[]) {
      const identity = tenant[key] ?? '';
      if (seen.has(identity)) issues.push(`${vendor} lists ${key} ${describeValue(identity)} twice (environment and INTERLINK_CONFIG_FILE together)`);
      seen.add(identity);
    }
  }
  const server = readServer(env, file, mode, fromEnv, readFile, issues);
  const idempotency = {
    ttlMs: fromEnv('INTERLINK_IDEMPOTENCY_TTL_MS', integer(60_000, 7 * 86_400_000, 'ms')) ?? DEFAULT_IDEMPOTENCY_TTL_MS,
    maxEntries: fromEnv('INTERLINK_IDEMPOTENCY_MAX_ENTRIES', integer(100, 10_000_000)) ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
    ...optional('redisUrl', fromEnv('INTERLINK_REDIS_URL', redisUrl)),
  };
  const queryLimits = readQueryLimits(file, fromEnv);
  if (issues.length > 0) throw new ConfigError(issues);

  const upstreams: UpstreamsConfig | undefined =
    mode === 'sandbox'
      ? undefined
      : {
          zuora: { url: urls.zuora as string, tenants: tenants.zuora },
          m3ter: { url: urls.m3ter as string, tenants: tenants.m3ter },
          revio: { url: urls.revio as string, tenants: tenants.revio },
        };
  return deepFreeze<MutableConfig>({ mode, upstreams, revioSystems, resilience, server, idempotency, queryLimits });
}

type FromEnv = <T>(name: string, parser: ValueParser<T>) => T | undefined;

type TenantOf = { zuora: ZuoraTenant; m3ter: M3terTenant; revio: RevioTenant };

/** The single-tenant variables of one vendor: none set, or all set and valid. */
function envTenant<V extends Vendor>(vendor: V, env: Env, fromEnv: FromEnv, issues: string[]): TenantOf[V][] {
  const names: Record<string, string> = CREDENTIAL_VARS[vendor];
  const parsers: Record<string, ValueParser<unknown>> = CREDENTIAL_PARSERS[vendor];
  const given = Object.values(names).filter((name) => env[name] !== undefined && env[name] !== '');
  if (given.length === 0) return [];
  const tenant: Record<string, unknown> = {};
  let complete = true;
  for (const [field, name] of Object.entries(names)) {
    const parser = parsers[field] as ValueParser<unknown>;
    if (env[name] === undefined || env[name] === '') {
      issues.push(`${name} must be ${parser.expected} (${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set), got nothing`);
      complete = false;
      continue;
    }
    const value = fromEnv(name, parser);
    if (value === undefined) complete = false;
    tenant[field] = value;
  }
  if (!complete) return [];
  tenant.name = tenant[TENANT_KEY[vendor]];
  return [tenant as unknown as TenantOf[V]];
}

function readResilience(env: Env, file: FileResilience | undefined, fromEnv: FromEnv, issues: string[]): ResilienceConfig {
  const knob = (key: keyof typeof RESILIENCE_VARS): number | undefined => {
    const [name, parser] = RESILIENCE_VARS[key];
    return fromEnv(name, parser) ?? file?.[key];
  };
  const retry: RetryPolicy = {
    maxAttempts: knob('maxAttempts') ?? DEFAULT_RETRY_POLICY.maxAttempts,
    backoffBaseMs: knob('backoffBaseMs') ?? DEFAULT_RETRY_POLICY.backoffBaseMs,
    backoffLimitMs: knob('backoffLimitMs') ?? DEFAULT_RETRY_POLICY.backoffLimitMs,
    noiseMs: DEFAULT_RETRY_POLICY.noiseMs,
    maxRetryAfterMs: knob('maxRetryAfterMs') ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
  };
  const timeouts: HttpTimeouts = {
    attemptMs: knob('attemptTimeoutMs') ?? DEFAULT_TIMEOUTS.attemptMs,
    deadlineMs: knob('deadlineMs') ?? DEFAULT_TIMEOUTS.deadlineMs,
  };
  if (timeouts.deadlineMs < timeouts.attemptMs) {
    issues.push(`INTERLINK_UPSTREAM_DEADLINE_MS must be at least the attempt timeout (${timeouts.attemptMs} ms), got ${timeouts.deadlineMs}`);
  }
  const limits = Object.fromEntries(
    VENDORS.map((vendor) => {
      const prefix = `INTERLINK_${vendor.toUpperCase()}`;
      const defaults = DEFAULT_TENANT_LIMITS[vendor];
      const rate = fromEnv(`${prefix}_RATE_PER_SECOND`, ratePerSecond) ?? file?.limits?.[vendor]?.ratePerSecond ?? defaults.ratePerSecond ?? 0;
      const limit: TenantLimits = {
        concurrency: fromEnv(`${prefix}_CONCURRENCY`, concurrency) ?? file?.limits?.[vendor]?.concurrency ?? defaults.concurrency,
        ...(rate === 0 ? {} : { ratePerSecond: rate }),
      };
      return [vendor, limit];
    }),
  ) as Record<Vendor, TenantLimits>;
  return { retry, timeouts, limits };
}

// ---- The server section ----

const logLevel: ValueParser<LogLevel> = {
  expected: `one of ${LOG_LEVELS.join(', ')}`,
  parse: (raw) => (typeof raw === 'string' && (LOG_LEVELS as readonly string[]).includes(raw.trim().toLowerCase()) ? (raw.trim().toLowerCase() as LogLevel) : undefined),
};

const onOff: ValueParser<boolean> = {
  expected: 'true or false (also on/off, yes/no, 1/0)',
  parse(raw) {
    if (typeof raw === 'boolean') return raw;
    const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    return ['true', 'on', 'yes', '1'].includes(value) ? true : ['false', 'off', 'no', '0'].includes(value) ? false : undefined;
  },
};

const SERVER_VARS = {
  port: ['INTERLINK_PORT', integer(0, 65_535)],
  host: ['INTERLINK_HOST', word('a host name or IP address to listen on (no spaces)', { max: 253 })],
  logLevel: ['INTERLINK_LOG_LEVEL', logLevel],
  introspection: ['INTERLINK_INTROSPECTION', onOff],
  readinessCacheMs: ['INTERLINK_READINESS_CACHE_MS', integer(0, 60_000, 'ms')],
} as const;

type FileServer = { port?: number; host?: string; logLevel?: LogLevel; introspection?: boolean; readinessCacheMs?: number };

function readServer(env: Env, file: ConfigFile, mode: MutableConfig['mode'], fromEnv: FromEnv, readFile: (path: string) => string, issues: string[]): ServerConfig {
  const knob = <K extends keyof typeof SERVER_VARS>(key: K) => {
    const [name, parser] = SERVER_VARS[key];
    return (fromEnv(name, parser as ValueParser<unknown>) ?? file.server?.[key]) as FileServer[K];
  };
  const apiKeys = [...(file.apiKeys ?? []), ...readApiKeysFile(env.INTERLINK_API_KEYS_FILE, readFile, issues)];
  const ids = new Set<string>();
  const hashes = new Set<string>();
  for (const key of apiKeys) {
    if (ids.has(key.id)) issues.push(`API key id ${describeValue(key.id)} is listed more than once (apiKeys in INTERLINK_CONFIG_FILE and INTERLINK_API_KEYS_FILE count together); ids name keys in logs and must be unique`);
    if (hashes.has(key.hash)) issues.push(`API key ${describeValue(key.id)} has the same hash as another key; give each caller its own key`);
    if (key.tenants.zuora.length + key.tenants.m3ter.length + key.tenants.revio.length === 0) {
      issues.push(`API key ${describeValue(key.id)} grants no tenant: list Zuora entity ids, m3ter org ids or Rev.io client codes under tenants`);
    }
    ids.add(key.id);
    hashes.add(key.hash);
  }
  return {
    port: knob('port') ?? 4000,
    host: knob('host') ?? '127.0.0.1',
    logLevel: knob('logLevel') ?? 'info',
    introspection: knob('introspection') ?? mode === 'sandbox',
    // Short enough to report an outage within a few seconds; long enough that probes stay a
    // small share of each vendor's rate limit (Rev.io: 30 of 500 calls a minute).
    readinessCacheMs: knob('readinessCacheMs') ?? 2000,
    apiKeys,
  };
}

/** `redis://` or `rediss://` with a host; masked in messages, since it may carry a password. */
const redisUrl: ValueParser<string> = {
  expected: 'a redis:// or rediss:// URL with a host',
  secret: true,
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    try {
      const url = new URL(raw.trim());
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' ? raw.trim() : undefined;
    } catch {
      return undefined;
    }
  },
};

/** `{ [name]: value }` when the value is there, else nothing: optional fields stay absent. */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

// ---- Query limits ----

const QUERY_LIMIT_VARS: Record<keyof QueryLimits, [string, ValueParser<number>]> = {
  maxDepth: ['INTERLINK_MAX_QUERY_DEPTH', integer(1, 100)],
  maxAliases: ['INTERLINK_MAX_ALIASES', integer(0, 10_000)],
  maxRootFields: ['INTERLINK_MAX_ROOT_FIELDS', integer(1, 10_000)],
  maxDirectives: ['INTERLINK_MAX_DIRECTIVES', integer(0, 10_000)],
  maxCost: ['INTERLINK_MAX_QUERY_COST', integer(1, 1_000_000_000)],
  maxVendorCalls: ['INTERLINK_MAX_VENDOR_CALLS', integer(1, 100_000)],
  maxResultItems: ['INTERLINK_MAX_RESULT_ITEMS', integer(1, 10_000_000)],
  deadlineMs: ['INTERLINK_REQUEST_DEADLINE_MS', integer(100, 600_000, 'ms')],
};

/** `queryLimits` in the file and in an API key: any of the limits, each checked like its variable. */
const queryLimitsSchema = z
  .object(Object.fromEntries(Object.entries(QUERY_LIMIT_VARS).map(([key, [, parser]]) => [key, leaf(parser).optional()])) as Record<keyof QueryLimits, z.ZodOptional<ReturnType<typeof leaf<number>>>>)
  .strict();

function readQueryLimits(file: ConfigFile, fromEnv: FromEnv): QueryLimits {
  const limits = { ...DEFAULT_QUERY_LIMITS };
  for (const [key, [name, parser]] of Object.entries(QUERY_LIMIT_VARS) as [keyof QueryLimits, [string, ValueParser<number>]][]) {
    limits[key] = fromEnv(name, parser) ?? file.queryLimits?.[key] ?? limits[key];
  }
  return limits;
}

/** `sha256:` and 64 hex digits. Masked in messages: a raw key pasted here by mistake must not be printed. */
const apiKeyHash: ValueParser<string> = {
  expected: '"sha256:" followed by the 64 hex digits of the key\'s SHA-256 (never the key itself)',
  secret: true,
  parse: (raw) => (typeof raw === 'string' && /^sha256:[0-9a-f]{64}$/i.test(raw.trim()) ? raw.trim().toLowerCase() : undefined),
};

const scopeList: ValueParser<Scope[]> = {
  expected: `a non-empty array of scopes (${SCOPES.map((scope) => `"${scope}"`).join(', ')})`,
  parse(raw) {
    if (!Array.isArray(raw) || raw.length === 0 || raw.some((scope) => !(SCOPES as readonly unknown[]).includes(scope))) return undefined;
    return [...new Set(raw as Scope[])];
  },
};

const zuoraEntityId: ValueParser<string> = {
  expected: 'a Zuora entity id (32 hex characters or a UUID)',
  parse: (raw) => (typeof raw === 'string' && !raw.includes(',') ? zuoraEntityIds.parse(raw)?.[0] : undefined),
};

const apiKeySchema = z
  .object({
    id: leaf(word('an API key id (no spaces)', { max: 64 })),
    hash: leaf(apiKeyHash),
    scopes: leaf(scopeList),
    tenants: z
      .object({
        zuora: z.array(leaf(zuoraEntityId)).optional(),
        m3ter: z.array(leaf(uuid)).optional(),
        revio: z.array(leaf(word('a Rev.io client code (no spaces)'))).optional(),
      })
      .strict(),
    limits: queryLimitsSchema.optional(),
  })
  .strict()
  .transform(
    ({ limits, ...key }): ApiKeyRecord => ({
      ...key,
      tenants: { zuora: key.tenants.zuora ?? [], m3ter: key.tenants.m3ter ?? [], revio: key.tenants.revio ?? [] },
      ...(limits === undefined ? {} : { limits: definedOnly(limits) }),
    }),
  );

/** An object without its `undefined` fields (zod leaves absent optional keys as undefined). */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

function readApiKeysFile(path: string | undefined, readFile: (path: string) => string, issues: string[]): ApiKeyRecord[] {
  const data = readJson('INTERLINK_API_KEYS_FILE', path, readFile, issues);
  if (data === undefined) return [];
  const result = z.array(apiKeySchema).safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(describeFileIssue(issue, 'INTERLINK_API_KEYS_FILE'));
    return [];
  }
  return result.data;
}

// ---- The JSON config file ----

/** A zod schema for one value, with our expected-form phrase as its message. */
function leaf<T>(parser: ValueParser<T>) {
  return z.unknown().transform((raw, context): T => {
    const value = parser.parse(raw);
    if (value === undefined) {
      context.addIssue({ code: 'custom', message: parser.expected, params: { secret: parser.secret === true, raw } });
      return z.NEVER;
    }
    return value;
  });
}

const tenantName = leaf(word('a tenant label (no spaces)', { max: 64 }));

function tenantSchema<V extends Vendor>(vendor: V) {
  const parsers: Record<string, ValueParser<unknown>> = CREDENTIAL_PARSERS[vendor];
  const shape = Object.fromEntries(Object.entries(parsers).map(([field, parser]) => [field, leaf(parser)]));
  return z
    .object({ name: tenantName.optional(), ...shape })
    .strict()
    .transform((tenant) => ({ ...tenant, name: tenant.name ?? (tenant as Record<string, unknown>)[TENANT_KEY[vendor]] }) as unknown as TenantOf[V]);
}

const limitsSchema = z.object({ concurrency: leaf(concurrency).optional(), ratePerSecond: leaf(ratePerSecond).optional() }).strict();

const resilienceSchema = z
  .object({
    ...Object.fromEntries(Object.entries(RESILIENCE_VARS).map(([key, [, parser]]) => [key, leaf(parser).optional()])),
    limits: z.object({ zuora: limitsSchema.optional(), m3ter: limitsSchema.optional(), revio: limitsSchema.optional() }).strict().optional(),
  })
  .strict();

type FileResilience = Partial<Record<keyof typeof RESILIENCE_VARS, number>> & {
  limits?: Partial<Record<Vendor, { concurrency?: number; ratePerSecond?: number }>>;
};

const fileSchema = z
  .object({
    zuora: z.object({ url: leaf(httpOrigin).optional(), tenants: z.array(tenantSchema('zuora')).optional() }).strict().optional(),
    m3ter: z.object({ url: leaf(httpOrigin).optional(), tenants: z.array(tenantSchema('m3ter')).optional() }).strict().optional(),
    revio: z
      .object({
        url: leaf(httpOrigin).optional(),
        tenants: z.array(tenantSchema('revio')).optional(),
        systemNames: z.object({ zuora: leaf(systemName).optional(), m3ter: leaf(systemName).optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    resilience: resilienceSchema.optional(),
    queryLimits: queryLimitsSchema.optional(),
    server: z
      .object(Object.fromEntries(Object.entries(SERVER_VARS).map(([key, [, parser]]) => [key, leaf(parser as ValueParser<unknown>).optional()])))
      .strict()
      .optional(),
    apiKeys: z.array(apiKeySchema).optional(),
  })
  .strict();

interface ConfigFile {
  valid: boolean;
  vendors: {
    zuora?: { url?: string; tenants?: ZuoraTenant[] };
    m3ter?: { url?: string; tenants?: M3terTenant[] };
    revio?: { url?: string; tenants?: RevioTenant[]; systemNames?: { zuora?: string; m3ter?: string } };
  };
  resilience?: FileResilience;
  queryLimits?: Partial<QueryLimits>;
  server?: FileServer;
  apiKeys?: ApiKeyRecord[];
}

function readConfigFile(path: string | undefined, readFile: (path: string) => string, issues: string[]): ConfigFile {
  const data = readJson('INTERLINK_CONFIG_FILE', path, readFile, issues);
  if (data === undefined) return { valid: path === undefined || path === '', vendors: {} };
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(describeFileIssue(issue));
    return { valid: false, vendors: {} };
  }
  const { resilience, server, apiKeys, queryLimits, ...vendors } = result.data;
  return {
    valid: true,
    vendors,
    resilience: resilience as FileResilience | undefined,
    server: server as FileServer | undefined,
    apiKeys,
    ...(queryLimits === undefined ? {} : { queryLimits: definedOnly(queryLimits) as Partial<QueryLimits> }),
  };
}

/** The parsed JSON of the file `variable` names; `undefined` when unset or unusable (an issue says which). */
function readJson(variable: string, path: string | undefined, readFile: (path: string) => string, issues: string[]): unknown {
  if (path === undefined || path === '') return undefined;
  try {
    return JSON.parse(readFile(path)) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    issues.push(`${variable} must name a readable JSON file, got ${describeValue(path)}, which ${reason}`);
    return undefined;
  }
}

function describeFileIssue(issue: z.core.$ZodIssue, source = 'INTERLINK_CONFIG_FILE'): string {
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
  const where = path === '' ? source : `${source} ${path}`;
  if (issue.code === 'custom') {
    const params = (issue.params ?? {}) as { secret?: boolean; raw?: unknown };
    return `${where} must be ${issue.message}, got ${describeValue(params.raw, params.secret === true)}`;
  }
  if (issue.code === 'unrecognized_keys') return `${where} has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type') return `${where} must be ${issue.expected === 'array' ? 'an array' : `an ${issue.expected}`}, got ${describeValue(issue.input)}`;
  return `${where} ${issue.message}`;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
