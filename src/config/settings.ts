/**
 * The settings table: every value the gateway reads from its environment or INTERLINK_CONFIG_FILE,
 * one row each, in the order the README lists them. Vendor rows come from each vendor's
 * descriptor (src/upstreams/<vendor>/settings.ts), so a vendor's settings are written once.
 */
import { DEFAULT_IDEMPOTENCY_MAX_ENTRIES, DEFAULT_IDEMPOTENCY_TTL_MS } from '../idempotency/memory-idempotency-store.js';
import { filePath, httpOrigin, integer, oneOf, onOff, redisUrl, word } from '../lib/config-values.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../limits/query-limits.js';
import { COMPILED_EXECUTION_MODES } from '../execution/operation-executor.js';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from '../upstreams/http.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../upstreams/retry-policy.js';
import type { VendorSettings } from '../upstreams/vendor-settings.js';
import { setting, type Setting } from './setting.js';
import { JWT_SETTINGS } from '../callers/jwt-settings.js';
import { COMPRESSION_SETTINGS } from '../http/compression-settings.js';
import { CONNECTION_SETTINGS } from '../http/connection-settings.js';
import { TRUSTED_DOCUMENT_SETTINGS } from '../persisted-documents/trusted-documents-settings.js';
import { TRACING_SETTINGS } from '../tracing/tracing-settings.js';
import { SHARED_STATE_SETTINGS } from '../shared-state/shared-state-settings.js';

/** Settings declared beside the code that reads them. */
export { COMPRESSION_SETTINGS, JWT_SETTINGS, SHARED_STATE_SETTINGS, TRACING_SETTINGS, TRUSTED_DOCUMENT_SETTINGS };

/** The vendors `loadConfig` reads by default (the registry's rows); `config.upstreams` has one section per entry. */
export { VENDOR_SETTINGS } from '../upstreams/registry.js';

/** pino's levels; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The two files; read from the environment only, since the config file cannot name itself. */
export const FILE_SETTINGS = {
  configFile: setting({ env: 'INTERLINK_CONFIG_FILE', parser: filePath, description: 'Path of the JSON config file.' }),
  apiKeysFile: setting({
    env: 'INTERLINK_API_KEYS_FILE',
    parser: filePath,
    description: 'JSON array of API key records (as `apiKeys` above), e.g. a mounted secret.',
  }),
};

/** `config.server`, without `apiKeys`, which come from the two files. */
export const SERVER_SETTINGS = {
  port: setting({ env: 'INTERLINK_PORT', file: 'server.port', parser: integer(0, 65_535), default: 4000, description: 'Port to listen on; `0` picks a free one.' }),
  // Loopback only unless asked: the gateway holds vendor credentials.
  host: setting({
    env: 'INTERLINK_HOST',
    file: 'server.host',
    parser: word('a host name or IP address to listen on (no spaces)', { max: 253 }),
    default: '127.0.0.1',
    description: 'Address to listen on. The Docker image sets `0.0.0.0`.',
  }),
  logLevel: setting({
    env: 'INTERLINK_LOG_LEVEL',
    file: 'server.logLevel',
    parser: oneOf(LOG_LEVELS),
    default: 'info',
    description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
  }),
  // No default here: the loader turns it on in sandbox mode and off against real vendors.
  introspection: setting({
    env: 'INTERLINK_INTROSPECTION',
    file: 'server.introspection',
    parser: onOff,
    shownDefault: 'on in sandbox mode, off otherwise',
    description: "Whether the schema can be introspected (GraphiQL's docs need it).",
  }),
  // Short enough to report an outage within a few seconds; long enough that probes stay a small
  // share of each vendor's rate limit (Rev.io: 30 of 500 calls a minute).
  readinessCacheMs: setting({
    env: 'INTERLINK_READINESS_CACHE_MS',
    file: 'server.readinessCacheMs',
    parser: integer(0, 60_000, 'ms'),
    default: 2000,
    description: 'How long one round of `/readyz` probes is reused.',
  }),
  // Admission control (src/http/admission.ts): a burst waits in line or gets 503, instead of
  // every request building its answer at once and the process's memory growing with the burst.
  // 64, not 32: a request waiting its turn at a rate-limited vendor holds its slot, so at 32 the
  // soak's 50 clients queued Zuora lookups behind Rev.io writes (baseline p50 92 ms against 19 ms
  // uncapped). Identical queries in flight take one slot between them (query coalescing).
  maxConcurrentRequests: setting({
    env: 'INTERLINK_MAX_CONCURRENT_REQUESTS',
    file: 'server.maxConcurrentRequests',
    parser: integer(1, 100_000),
    default: 64,
    description: 'GraphQL requests executing at once; more wait in line.',
  }),
  maxQueuedRequests: setting({
    env: 'INTERLINK_MAX_QUEUED_REQUESTS',
    file: 'server.maxQueuedRequests',
    parser: integer(0, 1_000_000),
    default: 1000,
    description: 'GraphQL requests waiting for a slot; beyond it, 503 with `Retry-After`.',
  }),
  maxQueueWaitMs: setting({
    env: 'INTERLINK_MAX_QUEUE_WAIT_MS',
    file: 'server.maxQueueWaitMs',
    parser: integer(0, 600_000, 'ms'),
    default: 10_000,
    description: 'Longest wait for a slot before 503 with `Retry-After`.',
  }),
  maxAdmittedBytes: setting({
    env: 'INTERLINK_MAX_ADMITTED_BYTES',
    file: 'server.maxAdmittedBytes',
    parser: integer(4 * 1024 * 1024, 64 * 1024 * 1024 * 1024, 'bytes'),
    default: 256 * 1024 * 1024,
    shownDefault: '268435456 (256 MiB)',
    description:
      'Memory all admitted GraphQL requests may hold together, reserved before a body is read: four times the body (its declared length, else the body limit) plus 256 KiB each. A request that does not fit waits in line; a burst of large bodies waits unread.',
  }),
  documentCacheBytes: setting({
    env: 'INTERLINK_DOCUMENT_CACHE_BYTES',
    file: 'server.documentCacheBytes',
    parser: integer(0, 4 * 1024 * 1024 * 1024, 'bytes'),
    default: 32 * 1024 * 1024,
    shownDefault: '33554432 (32 MiB)',
    description: 'Parsed GraphQL documents kept for the next request sending the same text, and automatic persisted query texts (each cache its own budget), sized with their source text.',
  }),
  // In-flight sharing (src/http/query-coalescing.ts, src/upstreams/in-flight-reads.ts): what many
  // callers ask at once is worked out once. Nothing is kept once the answer is sent.
  coalesceQueries: setting({
    env: 'INTERLINK_COALESCE_QUERIES',
    file: 'server.coalesceQueries',
    parser: onOff,
    default: true,
    description: 'Identical queries in flight at once (same document, variables and request headers, so the same caller) share one execution and one answer.',
  }),
  shareVendorReads: setting({
    env: 'INTERLINK_SHARE_VENDOR_READS',
    file: 'server.shareVendorReads',
    parser: onOff,
    default: true,
    description: "Identical vendor reads in flight at once (same tenant, path and parameters) share one call; a write through the same tenant starts new reads afresh.",
  }),
  // Under load V8 lets the old generation grow to up to 4x what is live before a full GC, and
  // that headroom, not the requests in flight, was the RSS growth. bench:ab, W1 at 64 connections,
  // peak RSS: 233 MB at V8's default, 184 MB at 150 for the same CPU (1.00x), 172 MB at 100 for
  // 1.05-1.10x.
  heapGrowthPercent: setting({
    env: 'INTERLINK_HEAP_GROWTH_PERCENT',
    file: 'server.heapGrowthPercent',
    parser: integer(0, 300, '%'),
    default: 150,
    description: "How far V8's old generation may grow past its live size before a full collection (150: to 2.5 times it); 0 leaves it to V8 (up to four times).",
  }),
  compiledExecution: setting({
    env: 'INTERLINK_COMPILED_EXECUTION',
    file: 'server.compiledExecution',
    parser: oneOf(COMPILED_EXECUTION_MODES),
    // Auto: bench:ab measured 0.85x the CPU per request on W1 and 0.87x on W3 with compiled queries.
    default: 'auto',
    description: '`auto` compiles a query with graphql-jit the second time its document runs (a document sent once never is), `always` the first time, `off` never (graphql-js). Mutations always run on graphql-js.',
  }),
  ...CONNECTION_SETTINGS,
};

/** `config.resilience.retry`, but `noiseMs`, which got caps at 100 and no one needs to change. */
export const RETRY_SETTINGS = {
  // At most 3 attempts per call: the retry rule every vendor client follows.
  maxAttempts: setting({
    env: 'INTERLINK_UPSTREAM_MAX_ATTEMPTS',
    file: 'resilience.maxAttempts',
    parser: integer(1, 3),
    default: DEFAULT_RETRY_POLICY.maxAttempts,
    description: 'Attempts per vendor call (1 to 3).',
  }),
  backoffBaseMs: setting({
    env: 'INTERLINK_UPSTREAM_BACKOFF_BASE_MS',
    file: 'resilience.backoffBaseMs',
    parser: integer(1, 10_000, 'ms'),
    default: DEFAULT_RETRY_POLICY.backoffBaseMs,
    description: 'Backoff before the first retry, doubling for each next one, plus up to 100 ms jitter.',
  }),
  backoffLimitMs: setting({
    env: 'INTERLINK_UPSTREAM_BACKOFF_LIMIT_MS',
    file: 'resilience.backoffLimitMs',
    parser: integer(1, 30_000, 'ms'),
    default: DEFAULT_RETRY_POLICY.backoffLimitMs,
    description: 'Longest backoff between attempts.',
  }),
  maxRetryAfterMs: setting({
    env: 'INTERLINK_UPSTREAM_MAX_RETRY_AFTER_MS',
    file: 'resilience.maxRetryAfterMs',
    // A longer wait than 5 s is the caller's to decide: the call fails as retryable instead.
    parser: integer(0, 5000, 'ms'),
    default: DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    description: 'Longest vendor `Retry-After` honoured; longer fails at once as retryable.',
  }),
} satisfies { [K in Exclude<keyof RetryPolicy, 'noiseMs'>]: Setting<number> };

/** `config.resilience.timeouts`. */
export const TIMEOUT_SETTINGS = {
  attemptMs: setting({
    env: 'INTERLINK_UPSTREAM_ATTEMPT_TIMEOUT_MS',
    file: 'resilience.attemptTimeoutMs',
    parser: integer(100, 120_000, 'ms'),
    default: DEFAULT_TIMEOUTS.attemptMs,
    description: 'One attempt, connect to last byte.',
  }),
  deadlineMs: setting({
    env: 'INTERLINK_UPSTREAM_DEADLINE_MS',
    file: 'resilience.deadlineMs',
    parser: integer(100, 300_000, 'ms'),
    default: DEFAULT_TIMEOUTS.deadlineMs,
    description: 'One call: limiter wait, attempts and backoff.',
  }),
} satisfies { [K in keyof HttpTimeouts]: Setting<number> };

/** `config.resilience.limits[vendor]`, per tenant of that vendor. */
export function limitSettings(vendor: VendorSettings) {
  const prefix = `INTERLINK_${vendor.name.toUpperCase()}`;
  const allows = vendor.vendorLimit === undefined ? '' : ` (${vendor.vendorLimit})`;
  return {
    concurrency: setting({
      env: `${prefix}_CONCURRENCY`,
      file: `resilience.limits.${vendor.name}.concurrency`,
      parser: integer(1, 1000),
      default: vendor.limits.concurrency,
      description: `Calls in flight per ${vendor.limitedPer}.`,
    }),
    // 0 turns the rate cap off.
    ratePerSecond: setting({
      env: `${prefix}_RATE_PER_SECOND`,
      file: `resilience.limits.${vendor.name}.ratePerSecond`,
      parser: integer(0, 10_000, 'calls per second, 0 for no cap'),
      default: vendor.limits.ratePerSecond ?? 0,
      shownDefault: vendor.limits.ratePerSecond === undefined ? 'none' : undefined,
      description: `Calls started per second per ${vendor.limitedPer}${allows}; \`0\` turns the cap off.`,
    }),
  };
}

/** `config.idempotency`: the `clientMutationId` records. Environment only, as they always were. */
export const IDEMPOTENCY_SETTINGS = {
  store: setting({
    env: 'INTERLINK_IDEMPOTENCY_STORE',
    parser: oneOf(['sqlite', 'memory'] as const),
    default: 'sqlite' as 'sqlite' | 'memory',
    description:
      '`sqlite`: records in a file under `INTERLINK_DATA_DIR`, kept across restarts and crashes. `memory`: lost when the process stops, so a replay after a restart may write again (the gateway warns at start). With `INTERLINK_REDIS_URL` set, Redis holds them instead.',
  }),
  dataDir: setting({
    env: 'INTERLINK_DATA_DIR',
    parser: filePath,
    shownDefault: '`data` in the working directory (`/var/lib/interlink` in the Docker image); on the embedded sandbox, a new temporary folder',
    description:
      "Folder of the gateway's own state: `idempotency.sqlite`, the `clientMutationId` records. The embedded sandbox is seeded anew on every start, so by default its records go to a temporary folder removed at exit.",
  }),
  ttlMs: setting({
    env: 'INTERLINK_IDEMPOTENCY_TTL_MS',
    parser: integer(60_000, 7 * 86_400_000, 'ms'),
    default: DEFAULT_IDEMPOTENCY_TTL_MS,
    shownDefault: '`86400000` (24 h)',
    description: 'How long a `clientMutationId` replays its first write (see [Exactly-once writes](#exactly-once-writes)).',
  }),
  maxEntries: setting({
    env: 'INTERLINK_IDEMPOTENCY_MAX_ENTRIES',
    parser: integer(100, 10_000_000),
    default: DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
    description: 'Records kept in memory; above it the oldest finished ones go.',
  }),
  // Off by default: each replica then keeps its own records in memory.
  redisUrl: setting({
    env: 'INTERLINK_REDIS_URL',
    parser: redisUrl,
    shownDefault: 'none (in memory)',
    description: '`redis://` or `rediss://` URL: replicas share their `clientMutationId` records through this Redis (see [Exactly-once writes](#exactly-once-writes)).',
  }),
};

/** `config.queryLimits`: what one request may ask and spend; an API key's own `limits` override these. */
export const QUERY_LIMIT_SETTINGS = {
  maxDepth: queryLimit('INTERLINK_MAX_QUERY_DEPTH', 'maxDepth', integer(1, 100), 'Nesting of selection sets in one operation, checked before it runs (see [Query limits](#query-limits)).'),
  maxAliases: queryLimit('INTERLINK_MAX_ALIASES', 'maxAliases', integer(0, 10_000), 'Aliased fields in one operation.'),
  maxRootFields: queryLimit('INTERLINK_MAX_ROOT_FIELDS', 'maxRootFields', integer(1, 10_000), 'Root fields in one operation.'),
  maxDirectives: queryLimit('INTERLINK_MAX_DIRECTIVES', 'maxDirectives', integer(0, 10_000), 'Directives in one operation.'),
  maxCost: queryLimit('INTERLINK_MAX_QUERY_COST', 'maxCost', integer(1, 1_000_000_000), 'Estimated cost of one operation.'),
  maxVendorCalls: queryLimit('INTERLINK_MAX_VENDOR_CALLS', 'maxVendorCalls', integer(1, 100_000), 'Vendor calls one request may start while it runs.'),
  maxResultItems: queryLimit('INTERLINK_MAX_RESULT_ITEMS', 'maxResultItems', integer(1, 10_000_000), 'List items one answer may hold.'),
  deadlineMs: queryLimit('INTERLINK_REQUEST_DEADLINE_MS', 'deadlineMs', integer(100, 600_000, 'ms'), "One request's whole deadline."),
} satisfies { [K in keyof QueryLimits]: Setting<number> };

function queryLimit(env: string, name: keyof QueryLimits, parser: Setting<number>['parser'], description: string) {
  return setting({ env, file: `queryLimits.${name}`, parser, default: DEFAULT_QUERY_LIMITS[name], description });
}

/** The vendor's base URL; unset for every vendor means sandbox mode. */
export function urlSetting(vendor: VendorSettings): Setting<string> {
  return setting({
    env: vendor.url.env,
    file: `${vendor.name}.url`,
    parser: httpOrigin,
    shownDefault: 'none (sandbox)',
    description: `${vendor.label} base URL, e.g. \`${vendor.url.example}\`. Set every vendor's URL, or none for the sandbox.`,
  });
}

/** A tenant's label; file only, since the tenant given by variables is named by its identity. */
const tenantName = word('a tenant label (no spaces)', { max: 64 });

/**
 * One row per tenant field, at `<vendor>.tenants[].<field>` in the file. Every field but `name`
 * is required in a file tenant; in the environment, one set field makes the others required.
 */
export function tenantSettings(vendor: VendorSettings): Setting<unknown>[] {
  const at = (field: string): string => `${vendor.name}.tenants[].${field}`;
  return [
    setting({ file: at('name'), parser: tenantName, shownDefault: `its \`${vendor.identity}\``, description: `A label for the ${vendor.label} tenant in logs and metrics.` }),
    ...Object.entries(vendor.tenant).map(([field, { env, parser, description }]) => setting({ env, file: at(field), parser, required: true, description })),
  ];
}

/** Every row, in the README's order. */
export function allSettings(vendors: readonly VendorSettings[]): Setting<unknown>[] {
  return [
    FILE_SETTINGS.configFile,
    ...Object.values(SERVER_SETTINGS),
    FILE_SETTINGS.apiKeysFile,
    ...Object.values(JWT_SETTINGS),
    ...Object.values(TRUSTED_DOCUMENT_SETTINGS),
    ...Object.values(COMPRESSION_SETTINGS),
    ...Object.values(TRACING_SETTINGS),
    ...vendors.flatMap((vendor) => [
      urlSetting(vendor),
      ...tenantSettings(vendor),
      ...Object.values(vendor.sections).flatMap((group) => Object.values(group)),
    ]),
    ...Object.values(RETRY_SETTINGS),
    ...Object.values(TIMEOUT_SETTINGS),
    ...vendors.flatMap((vendor) => Object.values(limitSettings(vendor))),
    ...Object.values(IDEMPOTENCY_SETTINGS),
    ...Object.values(SHARED_STATE_SETTINGS),
    ...Object.values(QUERY_LIMIT_SETTINGS),
  ];
}
