/**
 * Every resolver, wired explicitly. Resolvers are thin: arguments are checked (the caller's grant,
 * ids, cursors, `first`) before anything goes upstream, data comes from `context.loaders`, and relations are
 * field resolvers, so a field costs nothing unless it is asked for.
 */
import type { Resolvers } from '../__generated__/graphql.js';
import { withArgumentChecks } from '../authorization/with-argument-checks.js';
import { catalogQueries } from './catalog.js';
import { Connection, connectionQueries } from './connection.js';
import { connectionMutations } from './connection-mutations.js';
import { Entity, entityQueries } from './entity.js';
import { ExternalLink, externalLinkQueries } from './external-link.js';
import { externalLinkMutations } from './external-link-mutations.js';
import { IdentityNode, identityGraphQueries } from './identity-graph.js';
import { linkAuditQueries } from './link-audit.js';
import { linkEverywhereMutations } from './link-everywhere.js';
import { Node, nodeQueries } from './node.js';

/**
 * Every argument naming a tenant-scoped object is checked against the caller's grant first
 * (authorization/). The request's deadline and answer-size budget are put on the built schema,
 * field by field (limits/with-request-budget.ts, from server.ts).
 */
export const resolvers: Resolvers = withArgumentChecks<Resolvers>({
  Query: { ...nodeQueries, ...entityQueries, ...connectionQueries, ...externalLinkQueries, ...catalogQueries, ...identityGraphQueries, ...linkAuditQueries },
  Mutation: { ...connectionMutations, ...externalLinkMutations, ...linkEverywhereMutations },
  IdentityNode,
  Node,
  Entity,
  Connection,
  ExternalLink,
});
