/** `node(id)`: any object by its global id; the id's type says which loader answers. */
import { fromGlobalId } from '../lib/global-id.js';
import { BadUserInputError } from '../errors.js';
import type { NodeResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { connectionIdArg, entityIdArg, linkIdArg, shown } from './ids.js';

export const nodeQueries: Pick<QueryResolvers, 'node'> = {
  async node(_root, { id }, { loaders, grant }) {
    switch (fromGlobalId(id)?.type) {
      case 'Entity':
        return loaders.entityById.load(entityIdArg(id));
      case 'Connection': {
        const { connectionId, sourceEntityId } = connectionIdArg(id, 'id');
        // Read as an end the caller may act as: the source when granted, else each granted entity
        // of the tenant in turn (the target's inbound list holds it too).
        const ends = grant.mayActAs(sourceEntityId!) ? [sourceEntityId!] : grant.actingEntities();
        for (const end of ends) {
          const found = (await loaders.connectionsOf.load(end)).find((c) => c.id.toLowerCase() === connectionId);
          if (found !== undefined) return { ...found, viewpointEntityId: null };
        }
        return null;
      }
      case 'ExternalLink':
        return loaders.linkById.load(linkIdArg(id));
      case undefined:
        throw new BadUserInputError(`id must be a global id this API returned, got ${shown(id)}`);
    }
  },
};

export const Node: NodeResolvers = {
  // Models carry no type name; each has one field the others lack.
  __resolveType: (node) => ('provider' in node ? 'ExternalLink' : 'sourceEntityId' in node ? 'Connection' : 'Entity'),
};
