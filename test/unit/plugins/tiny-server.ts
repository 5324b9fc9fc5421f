/**
 * A tiny schema behind a real ApolloServer, for testing plugins (the unit under test) through
 * `executeOperation`. Resolvers bump `context.upstreamCalls` as loaders' upstream calls would.
 */
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Caller } from '../../../src/callers/caller.js';
import { UpstreamAuthFailedError, UpstreamConflictError } from '../../../src/errors.js';
import { formatError } from '../../../src/format-error.js';
import type { UpstreamCallCount } from '../../../src/observability/upstream-call-counter.js';

export interface TinyContext {
  requestId: string;
  upstreamCalls: Pick<UpstreamCallCount, 'count' | 'vendorRequestIds'>;
  caller?: Caller;
  tenant: { zuora: string; m3ter: string; revio: string };
}

const typeDefs = /* GraphQL */ `
  type Query {
    entity(id: ID!, token: String): Entity
    denied: String
    leak: String
  }
  type Entity {
    id: ID!
    name: String
  }
  input LinkInput {
    entityId: ID!
    externalId: String!
    password: String
    note: String
    clientMutationId: String
  }
  type Link {
    id: ID!
  }
  type LinkPayload {
    clientMutationId: String
    link: Link!
  }
  type DeletePayload {
    clientMutationId: String
    deletedId: ID!
  }
  type Mutation {
    createLink(input: LinkInput!): LinkPayload!
    conflictLink(input: LinkInput!): LinkPayload!
    deleteLink(id: ID!, clientMutationId: String): DeletePayload!
  }
`;

export const calls = { resolvers: 0 };

const resolvers = {
  Query: {
    entity: (_: unknown, { id }: { id: string }, context: TinyContext) => {
      calls.resolvers += 1;
      context.upstreamCalls.count += 2;
      return { id, name: `Entity ${id}` };
    },
    denied: () => {
      throw new UpstreamAuthFailedError({ vendor: 'zuora', operation: 'listEntities', status: 401, retryable: false, requestId: 'zr-401' });
    },
    leak: () => {
      throw new TypeError('cannot read properties of undefined (reading \'rows\')');
    },
  },
  Mutation: {
    createLink: (_: unknown, { input }: { input: { clientMutationId?: string } }, context: TinyContext) => {
      calls.resolvers += 1;
      context.upstreamCalls.count += 1;
      return { clientMutationId: input.clientMutationId, link: { id: 'link-1' } };
    },
    conflictLink: (_: unknown, __: unknown, context: TinyContext) => {
      calls.resolvers += 1;
      context.upstreamCalls.count += 1;
      throw new UpstreamConflictError({ vendor: 'm3ter', operation: 'createMapping', status: 409, retryable: false, requestId: 'm3-409' });
    },
    deleteLink: (_: unknown, { id, clientMutationId }: { id: string; clientMutationId?: string }) => ({ clientMutationId, deletedId: id }),
  },
};

export async function tinyServer(plugins: ApolloServerPlugin<TinyContext>[]) {
  const server = new ApolloServer<TinyContext>({ typeDefs, resolvers, plugins, formatError, includeStacktraceInErrorResponses: false });
  await server.start();
  return {
    server,
    async execute(query: string, options: { variables?: Record<string, unknown>; headers?: Record<string, string>; context?: Partial<TinyContext> } = {}) {
      const headers = new HeaderMap(Object.entries(options.headers ?? {}));
      const contextValue: TinyContext = {
        requestId: 'req-1',
        upstreamCalls: { count: 0, vendorRequestIds: [] },
        tenant: { zuora: '8a80825555a3c7a10155b460f53858e6', m3ter: 'org-1', revio: 'ACME' },
        ...options.context,
      };
      const response = await server.executeOperation(
        { query, variables: options.variables, http: { method: 'POST', headers, search: '', body: {} } },
        { contextValue },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return { status: response.http.status ?? 200, result: response.body.singleResult };
    },
  };
}
