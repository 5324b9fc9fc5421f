/**
 * Every resolver, wired explicitly. Resolvers are thin: arguments are checked (ids, cursors,
 * `first`) before anything goes upstream, data comes from `context.loaders`, and relations are
 * field resolvers, so a field costs nothing unless it is asked for.
 */
import type { Resolvers } from '../__generated__/graphql.js';
import { catalogQueries } from './catalog.js';
import { Connection, connectionQueries } from './connection.js';
import { connectionMutations } from './connection-mutations.js';
import { Entity, entityQueries } from './entity.js';
import { ExternalLink, externalLinkQueries } from './external-link.js';
import { externalLinkMutations } from './external-link-mutations.js';
import { Node, nodeQueries } from './node.js';

export const resolvers: Resolvers = {
  Query: { ...nodeQueries, ...entityQueries, ...connectionQueries, ...externalLinkQueries, ...catalogQueries },
  Mutation: { ...connectionMutations, ...externalLinkMutations },
  Node,
  Entity,
  Connection,
  ExternalLink,
};
