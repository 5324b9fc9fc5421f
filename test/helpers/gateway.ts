/**
 * The whole gateway over a fresh sandbox, for e2e tests.
 *
 * `startGateway` builds it exactly as the process does (`createGateway`: API keys, plugins,
 * GraphiQL, health, metrics), listening on 127.0.0.1 and a free port, with its log lines
 * captured. Keys are real keys whose hashes go through `loadConfig` like an operator's file.
 * `post` sends an operation over HTTP; `execute` runs one in process (`executeOperation`) on a
 * second server over the same upstream clients, with no API key (every configured tenant), the
 * schema's own plugins only and its own `clientMutationId` records, as a restarted replica would.
 *
 * `withGateway` does the same for a suite: started before its own `beforeAll`, closed after its
 * own `afterAll`.
 */
import { afterAll, beforeAll } from 'vitest';
import type { GraphQLFormattedError } from 'graphql';
import { startSandbox, type Sandbox, type SandboxOptions, type Vendor } from '../../sandbox/index.js';
import type { ApiKeyRecord, Scope } from '../../src/callers/api-key-record.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { loadConfig, type Config } from '../../src/config.js';
import { formatError } from '../../src/format-error.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { createServer, type InterlinkServer } from '../../src/server.js';
import type { Upstreams } from '../../src/upstreams/index.js';
import { captureLogs } from '../unit/observability/capture-logs.js';

export interface GraphQLResult<Data = Record<string, any>> {
  data?: Data | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface TestKey {
  key: string;
  scopes: Scope[];
  /** Default: every sandbox tenant. */
  tenants?: ApiKeyRecord['tenants'];
  /** The key's own query limits. */
  limits?: ApiKeyRecord['limits'];
  /** May run only trusted documents, by id. */
  trustedDocumentsOnly?: boolean;
}

/** The key a gateway started without `keys` accepts: every scope, every sandbox tenant. `post` sends it unless given another. */
export const ADMIN_KEY = 'ilk_test_admin_key_with_every_scope_0001';

type GraphiQLOption = Parameters<typeof createGateway>[0]['graphiql'];

export interface GatewayOptions {
  /** Default `{ limits: 'off' }`. */
  sandbox?: SandboxOptions;
  /** The keys, or a function of the sandbox (its seeded ids) that returns them. Default: `ADMIN_KEY` only. */
  keys?: Record<string, TestKey> | ((sandbox: Sandbox) => Record<string, TestKey>);
  /** Environment as `loadConfig` reads it (the config's own checks apply). */
  env?: Record<string, string>;
  /** Short timeouts make a hanging vendor fail fast: e.g. `{ attemptTimeoutMs: 200, deadlineMs: 400 }`. */
  resilience?: { attemptTimeoutMs?: number; deadlineMs?: number; maxAttempts?: number };
  /** GraphiQL's options, or a function of the sandbox (its seeded tenants) that returns them. Default: none. */
  graphiql?: GraphiQLOption | ((sandbox: Sandbox) => GraphiQLOption);
}

export interface PostOptions {
  variables?: Record<string, unknown>;
  /** Sent as `Authorization: Bearer`. */
  key?: string;
  headers?: Record<string, string>;
}

export interface PostResult {
  status: number;
  headers: Headers;
  body: any;
}

export interface TestGateway {
  /** Base URL, no trailing slash; GraphQL is at `${url}/graphql`. */
  url: string;
  sandbox: Sandbox;
  config: Config;
  /** The process-shaped gateway (its HTTP server, metrics, upstreams). */
  gateway: Gateway;
  /** The upstream clients both `post` and `execute` use. */
  upstreams: Upstreams;
  /** POST /graphql with a JSON body (a JSON body satisfies CSRF prevention). */
  post(query: string, options?: PostOptions): Promise<PostResult>;
  /** Runs an operation in process; context built from the headers exactly as for HTTP, without an API key. */
  execute<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult<Data>>;
  /** Upstream calls since `since` (a `sandbox.ledger.mark`), token calls excluded unless asked for. */
  calls(since: number, filter?: { vendor?: Vendor; path?: string | RegExp; withTokens?: boolean }): number;
  /** Parsed log lines so far. */
  logs(): Record<string, any>[];
  /** The raw log text so far, for "no secret appears anywhere" checks. */
  logText(): string;
  close(): Promise<void>;
}

const RESILIENCE_ENV = {
  attemptTimeoutMs: 'INTERLINK_UPSTREAM_ATTEMPT_TIMEOUT_MS',
  deadlineMs: 'INTERLINK_UPSTREAM_DEADLINE_MS',
  maxAttempts: 'INTERLINK_UPSTREAM_MAX_ATTEMPTS',
} as const;

export async function startGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  const sandbox = await startSandbox(options.sandbox ?? { limits: 'off' });
  const all = {
    zuora: sandbox.tenants.zuora.flatMap((tenant) => tenant.entityIds),
    m3ter: sandbox.tenants.m3ter.map((tenant) => tenant.orgId),
    revio: sandbox.tenants.revio.map((tenant) => tenant.clientCode),
  };
  const keys = options.keys === undefined ? { admin: { key: ADMIN_KEY, scopes: ['read', 'write'] as Scope[] } } : typeof options.keys === 'function' ? options.keys(sandbox) : options.keys;
  const defaultKey = options.keys === undefined ? ADMIN_KEY : undefined;
  const records: ApiKeyRecord[] = Object.entries(keys).map(([id, key]) => ({ id, hash: hashApiKey(key.key), scopes: key.scopes, tenants: key.tenants ?? all, ...(key.limits ? { limits: key.limits } : {}), ...(key.trustedDocumentsOnly ? { trustedDocumentsOnly: true } : {}) }));
  const env: Record<string, string> = { INTERLINK_PORT: '0', INTERLINK_API_KEYS_FILE: '/keys.json', INTERLINK_LOG_LEVEL: 'debug', ...options.env };
  for (const [key, value] of Object.entries(options.resilience ?? {})) env[RESILIENCE_ENV[key as keyof typeof RESILIENCE_ENV]] = String(value);
  const config = withSandboxUpstreams(
    loadConfig(env, () => JSON.stringify(records)),
    sandbox,
  );
  const capture = captureLogs();
  const logger = createLogger({ level: config.server.logLevel, destination: capture.destination });
  const gateway = await createGateway({ config, logger, graphiql: typeof options.graphiql === 'function' ? options.graphiql(sandbox) : (options.graphiql ?? false), drainGraceMs: 2_000 });
  const url = await gateway.listen();
  // Started on the first `execute`: most suites only post.
  let inProcess: Promise<InterlinkServer> | undefined;
  const server = () =>
    (inProcess ??= (async () => {
      const started = createServer({ config, upstreams: gateway.upstreams, introspection: true });
      await started.apollo.start();
      return started;
    })());

  return {
    url,
    sandbox,
    config,
    gateway,
    upstreams: gateway.upstreams,
    async post(query, { variables = {}, key = defaultKey, headers = {} } = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
    },
    async execute(query, variables, headers = {}) {
      const { apollo, contextFor } = await server();
      let contextValue;
      try {
        contextValue = contextFor(headers);
      } catch (error) {
        // As Apollo would answer a failed context: the error through the masking boundary.
        return { errors: [formatError({ message: 'Context creation failed' }, error)] };
      }
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as GraphQLResult<any>;
    },
    calls(since, filter = {}) {
      return sandbox.ledger
        .list({ sinceSeq: since, ...(filter.vendor ? { vendor: filter.vendor } : {}), ...(filter.path ? { path: filter.path } : {}) })
        .filter((entry) => filter.withTokens || !/oauth\/token/i.test(entry.path)).length;
    },
    logs: capture.lines,
    logText: () => capture.raw.join(''),
    async close() {
      if (inProcess) await (await inProcess).apollo.stop();
      await gateway.close();
      await sandbox.close();
    },
  };
}

/**
 * One gateway for the suite it is called in; options may be a function (of nothing) for values
 * known only once the file runs. Read the returned object in hooks and tests only.
 */
export function withGateway(options: GatewayOptions | (() => GatewayOptions) = {}): TestGateway {
  let running: TestGateway | undefined;
  const current = (): TestGateway => {
    if (!running) throw new Error('withGateway(): the gateway runs only in the hooks and tests of the suite that declared it');
    return running;
  };
  beforeAll(async () => {
    running = await startGateway(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    get url() {
      return current().url;
    },
    get sandbox() {
      return current().sandbox;
    },
    get config() {
      return current().config;
    },
    get gateway() {
      return current().gateway;
    },
    get upstreams() {
      return current().upstreams;
    },
    post: (query, postOptions) => current().post(query, postOptions),
    execute: (query, variables, headers) => current().execute(query, variables, headers),
    calls: (since, filter) => current().calls(since, filter),
    logs: () => current().logs(),
    logText: () => current().logText(),
    close: () => current().close(),
  };
}
