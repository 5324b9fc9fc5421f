/**
 * The gateway exactly as the process runs it (`createGateway`: API keys, plugins, GraphiQL,
 * health, metrics), listening on 127.0.0.1 and a free port, over a fresh sandbox, with its log
 * lines captured. Keys are real keys whose hashes go through `loadConfig` like an operator's file.
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/index.js';
import type { ApiKeyRecord, Scope } from '../../src/callers/api-key-record.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { captureLogs } from '../unit/observability/capture-logs.js';

export interface TestKey {
  key: string;
  scopes: Scope[];
  /** Default: every sandbox tenant. */
  tenants?: ApiKeyRecord['tenants'];
  /** The key's own query limits. */
  limits?: ApiKeyRecord['limits'];
}

export interface HttpGateway {
  url: string;
  sandbox: Sandbox;
  gateway: Gateway;
  config: Config;
  /** Parsed log lines so far. */
  logs(): Record<string, any>[];
  /** The raw log text so far, for "no secret appears anywhere" checks. */
  logText(): string;
  /** POST /graphql with a JSON body; `key` goes in `Authorization: Bearer`. */
  post(query: string, options?: { variables?: Record<string, unknown>; key?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  /** Upstream calls since a `sandbox.ledger.mark`, token calls excluded. */
  calls(since: number): number;
  close(): Promise<void>;
}

export interface HttpGatewayOptions {
  sandbox?: SandboxOptions;
  /** The keys, or a function of the sandbox (its seeded ids) that returns them. */
  keys: Record<string, TestKey> | ((sandbox: Sandbox) => Record<string, TestKey>);
  env?: Record<string, string>;
  /** GraphiQL's options, or a function of the sandbox (its seeded tenants) that returns them. Default: none. */
  graphiql?: GraphiQLOption | ((sandbox: Sandbox) => GraphiQLOption);
}

type GraphiQLOption = Parameters<typeof createGateway>[0]['graphiql'];

export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const sandbox = await startSandbox(options.sandbox ?? { limits: 'off' });
  const all = {
    zuora: sandbox.tenants.zuora.flatMap((tenant) => tenant.entityIds),
    m3ter: sandbox.tenants.m3ter.map((tenant) => tenant.orgId),
    revio: sandbox.tenants.revio.map((tenant) => tenant.clientCode),
  };
  const keys = typeof options.keys === 'function' ? options.keys(sandbox) : options.keys;
  const records: ApiKeyRecord[] = Object.entries(keys).map(([id, key]) => ({ id, hash: hashApiKey(key.key), scopes: key.scopes, tenants: key.tenants ?? all, ...(key.limits ? { limits: key.limits } : {}) }));
  const env = { INTERLINK_PORT: '0', INTERLINK_API_KEYS_FILE: '/keys.json', INTERLINK_LOG_LEVEL: 'debug', ...options.env };
  const config = withSandboxUpstreams(
    loadConfig(env, () => JSON.stringify(records)),
    sandbox,
  );
  const capture = captureLogs();
  const logger = createLogger({ level: config.server.logLevel, destination: capture.destination });
  const gateway = await createGateway({ config, logger, graphiql: typeof options.graphiql === 'function' ? options.graphiql(sandbox) : (options.graphiql ?? false), drainGraceMs: 2_000 });
  const url = await gateway.listen();

  return {
    url,
    sandbox,
    gateway,
    config,
    logs: capture.lines,
    logText: () => capture.raw.join(''),
    async post(query, { variables = {}, key, headers = {} } = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
    },
    calls: (since) => sandbox.ledger.list({ sinceSeq: since }).filter((entry) => !/oauth\/token/i.test(entry.path)).length,
    async close() {
      await gateway.close();
      await sandbox.close();
    },
  };
}
