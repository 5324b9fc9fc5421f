/**
 * Target (c), naive Apollo Server: Interlink's schema (the same files, `SCHEMA_FILES`) with the
 * resolvers a first attempt has: each field calls the vendor REST endpoint it needs when it
 * runs, with no DataLoader and nothing remembered within or across requests. Same transport as
 * target (a) (bench/targets/direct-rest/vendor-http.ts), so only the resolver strategy differs.
 * Implemented: every field the four workloads touch, the other entity, connection and link reads,
 * and link create/delete. Not implemented: `node`, `externalLinks`, `updateExternalLink` and the
 * connection mutations (null, or an error where the schema says non-null).
 *
 * Process contract (bench/targets/index.ts): env BENCH_SANDBOX, BENCH_TOKENS, PORT; POST
 * /graphql; prints `{"url":…}` when listening; exits on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createVendorHttp, readTargetEnv } from './direct-rest/vendor-http.js';
import { Connection, Entity, entityQueries } from './naive-apollo/entity-resolvers.js';
import { ExternalLink, linkMutations, linkQueries } from './naive-apollo/link-resolvers.js';
import type { NaiveContext } from './naive-apollo/naive-calls.js';

/**
 * Interlink's schema files, checked against `SCHEMA_FILES` in src/server.ts by the type checker
 * rather than imported: importing it would load all of Interlink into this process (~17 MB RSS).
 */
const SCHEMA_FILES: typeof import('../../src/server.js').SCHEMA_FILES = ['base.graphql', 'entity.graphql', 'connection.graphql', 'external-link.graphql'];

const env = readTargetEnv();
const v = createVendorHttp(env);
const context: NaiveContext = { v, sandbox: env.sandbox, actingEntityId: env.sandbox.credentials.zuora.entityIds[0]! };

const apollo = new ApolloServer<NaiveContext>({
  typeDefs: SCHEMA_FILES.map((file) => readFileSync(new URL(`../../schema/${file}`, import.meta.url), 'utf8')),
  resolvers: {
    Query: { ...entityQueries, ...linkQueries },
    Mutation: linkMutations,
    Node: { __resolveType: (node: object) => ('provider' in node ? 'ExternalLink' : 'sourceEntityId' in node ? 'Connection' : 'Entity') },
    Entity,
    Connection,
    ExternalLink,
  },
  // Apollo's own handler re-raises the signal after stopping (exit 143); ours below exits 0.
  stopOnTerminationSignals: false,
});

const { url } = await startStandaloneServer(apollo, { listen: { port: env.port, host: '127.0.0.1' }, context: async () => context });
process.stdout.write(JSON.stringify({ url: url.replace(/\/$/, '') }) + '\n');

process.once('SIGTERM', () => {
  void apollo.stop().finally(() => {
    v.close();
    process.exit(0);
  });
});
