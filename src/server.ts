/**
 * `createServer({ config, upstreams })`: the Apollo Server with Interlink's schema, resolvers
 * and masking, and the context factories for in-process (`executeOperation`) and HTTP use. It
 * never listens: the HTTP entry point decides where and how.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { ApolloServer } from '@apollo/server';
import type { Config } from './config.js';
import { createContext, type GraphQLContext } from './context.js';
import { GatewayError } from './errors.js';
import { formatError } from './format-error.js';
import type { AllowedTenants, HeaderSource } from './request-tenant.js';
import { resolvers } from './resolvers/index.js';
import type { Upstreams } from './upstreams/index.js';

/**
 * GraphQLError as Apollo loads it. graphql has no `exports` map, so Node gives Apollo the CJS
 * build; Apollo recognises a context error's HTTP status only on an instance of that class
 * (`instanceof`), and a bundler or test runner may hand this module the ESM build instead.
 */
const { GraphQLError } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** The schema, one file per domain; listed, not discovered, so a stray file cannot change the API. */
export const SCHEMA_FILES = ['base.graphql', 'entity.graphql', 'connection.graphql', 'external-link.graphql'] as const;

export interface CreateServerOptions {
  config: Config;
  upstreams: Upstreams;
  /** Whether the schema may be introspected (GraphiQL needs it). Default: only in sandbox mode. */
  introspection?: boolean;
}

export interface InterlinkServer {
  apollo: ApolloServer<GraphQLContext>;
  /** A request's context from its headers; throws a `GatewayError` (FORBIDDEN) for an unknown tenant. */
  contextFor(headers: HeaderSource, allowed?: AllowedTenants): GraphQLContext;
  /** The same for HTTP integrations: a refused tenant becomes a GraphQL error with HTTP 403. */
  httpContext(args: { req: IncomingMessage }): Promise<GraphQLContext>;
}

export function createServer({ config, upstreams, introspection = config.mode === 'sandbox' }: CreateServerOptions): InterlinkServer {
  const apollo = new ApolloServer<GraphQLContext>({
    typeDefs: SCHEMA_FILES.map((file) => readFileSync(schemaPath(file), 'utf8')),
    // The generated types are stricter than Apollo's; they describe the same functions.
    resolvers: resolvers as ConstructorParameters<typeof ApolloServer<GraphQLContext>>[0]['resolvers'],
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection,
  });
  const contextFor = (headers: HeaderSource, allowed?: AllowedTenants): GraphQLContext => createContext({ headers, upstreams, ...(allowed ? { allowed } : {}) });
  return {
    apollo,
    contextFor,
    async httpContext({ req }) {
      try {
        return contextFor(req.headers);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        // Apollo reports context failures as HTTP 500 unless the error names its status.
        const status = error.code === 'FORBIDDEN' ? 403 : error.code === 'UNAUTHENTICATED' ? 401 : 400;
        throw new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status } } });
      }
    },
  };
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
