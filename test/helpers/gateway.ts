/**
 * The whole gateway over a fresh sandbox, for e2e tests: `execute` runs an operation in process
 * (`executeOperation`, context built from the given headers exactly as for HTTP), `http` starts
 * the same server on 127.0.0.1 with a free port. `calls` counts upstream requests since a mark.
 */
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLFormattedError } from 'graphql';
import { startSandbox, type Sandbox, type SandboxOptions, type Vendor } from '../../sandbox/index.js';
import { loadConfig } from '../../src/config.js';
import { formatError } from '../../src/format-error.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { createServer, type InterlinkServer } from '../../src/server.js';
import { createUpstreams, type Upstreams } from '../../src/upstreams/index.js';

export interface GraphQLResult<Data = Record<string, any>> {
  data?: Data | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface Gateway {
  sandbox: Sandbox;
  upstreams: Upstreams;
  server: InterlinkServer;
  execute<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult<Data>>;
  /** Upstream calls since `since` (a `sandbox.ledger.mark`), token calls excluded unless asked for. */
  calls(since: number, filter?: { vendor?: Vendor; path?: string | RegExp; withTokens?: boolean }): number;
  /** Starts HTTP on 127.0.0.1:0; closed with the gateway. */
  http(): Promise<string>;
  close(): Promise<void>;
}

/** Gateway knobs for a test, passed to `loadConfig` as the environment would (the config's own checks apply). */
export interface GatewayOptions {
  /** Short timeouts make a hanging vendor fail fast: e.g. `{ attemptTimeoutMs: 200, deadlineMs: 400 }`. */
  resilience?: { attemptTimeoutMs?: number; deadlineMs?: number; maxAttempts?: number };
}

const RESILIENCE_ENV = {
  attemptTimeoutMs: 'INTERLINK_UPSTREAM_ATTEMPT_TIMEOUT_MS',
  deadlineMs: 'INTERLINK_UPSTREAM_DEADLINE_MS',
  maxAttempts: 'INTERLINK_UPSTREAM_MAX_ATTEMPTS',
} as const;

export async function startGateway(options: SandboxOptions = { limits: 'off' }, gatewayOptions: GatewayOptions = {}): Promise<Gateway> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(gatewayOptions.resilience ?? {})) env[RESILIENCE_ENV[key as keyof typeof RESILIENCE_ENV]] = String(value);
  const sandbox = await startSandbox(options);
  const config = withSandboxUpstreams(loadConfig(env), sandbox);
  const upstreams = createUpstreams(config);
  const server = createServer({ config, upstreams, introspection: true });
  await server.apollo.start();
  let stopHttp: (() => Promise<void>) | undefined;

  return {
    sandbox,
    upstreams,
    server,
    async execute(query, variables, headers = {}) {
      let contextValue;
      try {
        contextValue = server.contextFor(headers);
      } catch (error) {
        // As Apollo would answer a failed context: the error through the masking boundary.
        return { errors: [formatError({ message: 'Context creation failed' }, error)] };
      }
      const response = await server.apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as GraphQLResult<any>;
    },
    calls(since, filter = {}) {
      return sandbox.ledger
        .list({ sinceSeq: since, ...(filter.vendor ? { vendor: filter.vendor } : {}), ...(filter.path ? { path: filter.path } : {}) })
        .filter((entry) => filter.withTokens || !/oauth\/token/i.test(entry.path)).length;
    },
    async http() {
      // A second ApolloServer over the same upstreams: standalone starts (and stops) its own.
      const standalone = createServer({ config, upstreams, introspection: true });
      const { url } = await startStandaloneServer(standalone.apollo, { listen: { port: 0, host: '127.0.0.1' }, context: standalone.httpContext });
      stopHttp = () => standalone.apollo.stop();
      return url;
    },
    async close() {
      await stopHttp?.();
      await server.apollo.stop();
      upstreams.close();
      await sandbox.close();
    },
  };
}

/** POSTs one operation as a browser-less client would (JSON body satisfies CSRF prevention). */
export async function postGraphQL(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as GraphQLResult<any> };
}
