/**
 * `createServer({ config, upstreams })`: the Apollo Server with Interlink's schema, resolvers
 * and masking, and the context factories for in-process (`executeOperation`) and HTTP use. It
 * never listens: the HTTP entry point decides where and how.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from './config.js';
import { createContext, type GraphQLContext } from './context.js';
import { GatewayError } from './errors.js';
import { executorGateway } from './execution/executor-gateway.js';
import { DocumentStore } from './execution/document-store.js';
import { createOperationExecutor } from './execution/operation-executor.js';
import type { CacheSize } from './lib/byte-bounded-lru.js';
import { createFormatError } from './format-error.js';
import { httpGraphQLError } from './http/http-graphql-error.js';
import type { IdempotencyStore } from './idempotency/idempotency-store.js';
import { createMemoryIdempotencyStore } from './idempotency/memory-idempotency-store.js';
import type { Caller } from './callers/caller.js';
import type { HeaderSource } from './request-tenant.js';
import { limitsPlugin } from './limits/limits-plugin.js';
import { withRequestBudget } from './limits/with-request-budget.js';
import { inputLengthPlugin } from './plugins/input-length-plugin.js';
import { partialErrorsPlugin } from './plugins/partial-errors-plugin.js';
import { MAX_DOCUMENT_TOKENS } from './limits/query-limits.js';
import { resolvers } from './resolvers/index.js';
import type { Upstreams } from './upstreams/index.js';

/** The schema, one file per domain; listed, not discovered, so a stray file cannot change the API. */
export const SCHEMA_FILES = ['base.graphql', 'entity.graphql', 'connection.graphql', 'external-link.graphql'] as const;

export interface CreateServerOptions {
  config: Config;
  upstreams: Upstreams;
  /** Whether the schema may be introspected (GraphiQL needs it). Default: `config.server.introspection`. */
  introspection?: boolean;
  /** Apollo plugins (the gateway process adds scope checks, logs, audit, metrics and draining). */
  plugins?: ApolloServerPlugin<GraphQLContext>[];
  /** The process's `clientMutationId` records. Default: a new in-memory store with `config.idempotency`. */
  idempotency?: IdempotencyStore;
}

export interface InterlinkServer {
  apollo: ApolloServer<GraphQLContext>;
  /** A request's context from its headers; throws a `GatewayError` (FORBIDDEN) for an unknown tenant. */
  contextFor(headers: HeaderSource, caller?: Caller): GraphQLContext;
  /** The same for HTTP integrations: a refused tenant becomes a GraphQL error with HTTP 403. */
  httpContext(args: { req: IncomingMessage }): Promise<GraphQLContext>;
  /** What the parsed-document and compiled-plan caches hold (metrics, tests). */
  caches: { documents: CacheSize; plans: CacheSize };
}

export function createServer({ config, upstreams, introspection = config.server.introspection, plugins = [], ...options }: CreateServerOptions): InterlinkServer {
  const idempotency = options.idempotency ?? createMemoryIdempotencyStore(config.idempotency);
  const schema = createSchema();
  const executor = createOperationExecutor(schema, { mode: config.server.compiledExecution });
  const documents = new DocumentStore();
  const apollo = new ApolloServer<GraphQLContext>({
    // Apollo runs the request pipeline; execution is ours (large queries compiled, execution/).
    gateway: executorGateway(schema, executor),
    // Parsed documents, bounded by the bytes they hold with their source text (Apollo's default leaves it out).
    documentStore: documents,
    // Hardening stated here, not left to NODE_ENV: masked errors without stacks, CSRF
    // prevention (a simple form POST cannot run an operation), one operation per HTTP request.
    // Without introspection, "Did you mean …?" would spell the schema out field by field.
    formatError: createFormatError({ suggestions: introspection }),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // A document over this many tokens is not parsed further (GRAPHQL_PARSE_FAILED, HTTP 400).
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    allowBatchedHttpRequests: false,
    // Persisted queries are resolved by the HTTP layer (http/resolve-operation.ts), which hands
    // Apollo the text itself: Apollo never looks a document up by id on its own.
    persistedQueries: false,
    introspection,
    plugins: [
      // Apollo's cache-control plugin wraps every field resolver to compute cache hints nothing
      // here uses (a measured share of CPU on large queries); its landing page loads from a CDN,
      // and GraphiQL is served by the gateway itself.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      // Before the gateway's log, metrics and audit plugins, so they count the errors it adds.
      partialErrorsPlugin<GraphQLContext>(createFormatError({ suggestions: introspection })),
      ...plugins,
      // After the scope check (a key that may not run the operation hears that first), before any resolver.
      inputLengthPlugin<GraphQLContext>(),
      limitsPlugin<GraphQLContext>(),
    ],
    // The entry point owns SIGTERM/SIGINT (drain, then close upstreams and the sandbox); Apollo's
    // own handlers would stop it and then re-raise the signal at the process.
    stopOnTerminationSignals: false,
  });
  const contextFor = (headers: HeaderSource, caller?: Caller): GraphQLContext => createContext({ headers, upstreams, idempotency, queryLimits: config.queryLimits, ...(caller ? { caller } : {}) });
  return {
    apollo,
    contextFor,
    caches: { documents, plans: executor.planCache },
    async httpContext({ req }) {
      try {
        return contextFor(req.headers);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        // Apollo reports context failures as HTTP 500 unless the error names its status.
        throw httpGraphQLError(error);
      }
    },
  };
}

/**
 * The executable schema: the files, the resolvers, and every field not declared free put under
 * the request's budget (limits/with-request-budget.ts), decided from the built schema so no
 * field is left out by a list.
 */
export function createSchema(): GraphQLSchema {
  return withRequestBudget(
    makeExecutableSchema({
      typeDefs: SCHEMA_FILES.map((file) => readFileSync(schemaPath(file), 'utf8')),
      // The generated types are stricter than graphql-tools'; they describe the same functions.
      resolvers: resolvers as Parameters<typeof makeExecutableSchema>[0]['resolvers'],
    }),
  );
}

/** `schema/` beside `src/` when run from source, two levels up when built into `dist/src/`. */
function schemaPath(file: string): URL {
  for (const base of ['../schema/', '../../schema/']) {
    const url = new URL(base + file, import.meta.url);
    try {
      readFileSync(url);
      return url;
    } catch {
      // Try the next layout.
    }
  }
  throw new Error(`schema/${file} not found beside ${import.meta.url}`);
}
