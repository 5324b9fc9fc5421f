/** Entities: root fields and relations, each answered from the request's loaders. */
import { pageOfArray } from '../lib/paging.js';
import type { EntityResolvers, QueryResolvers } from '../__generated__/graphql.js';
import type { ExternalLink } from '../models.js';
import { checkPageArgs, connectionPageList, connectionsPage } from './connection-page.js';
import { entityOf } from './connection.js';
import { entityGlobalId, entityIdArg } from './ids.js';
import { linksFromProviders } from './links-from-providers.js';

/** How links name Zuora as their external system (the Rev.io loader maps it to the configured system). */
export const ZUORA_SYSTEM = 'Zuora';

export const entityQueries: Pick<QueryResolvers, 'entities' | 'entity'> = {
  async entities(_root, args, { loaders, grant }) {
    const list = `entities:${args.status ?? ''}`;
    checkPageArgs(list, args, grant.cursorScope('entities'));
    const all = await loaders.allEntities.get();
    const matching = args.status === null || args.status === undefined ? all : all.filter((entity) => entity.status === args.status);
    return { ...pageOfArray(matching, list, args, grant.cursorScope('entities')), totalCount: matching.length };
  },
  entity: (_root, { id }, { loaders }) => loaders.entityById.load(entityIdArg(id)),
};

export const Entity: EntityResolvers = {
  id: (entity) => entityGlobalId(entity),
  entityId: (entity) => entity.id,
  parent: (entity, _args, { loaders }) => (entity.parentId === null ? null : entityOf(loaders, entity.parentId)),
  async children(entity, _args, { loaders }) {
    return (await loaders.allEntities.get()).filter((child) => child.parentId?.toLowerCase() === entity.id.toLowerCase());
  },
  async connections(entity, args, { loaders }) {
    const viewpoint = entity.id.toLowerCase();
    checkPageArgs(connectionPageList(viewpoint, args), args, viewpoint);
    return connectionsPage(await loaders.connectionsOf.load(viewpoint), viewpoint, args);
  },
  externalLinks(entity, { provider }, context, info) {
    const { loaders, grant } = context;
    const key = { system: ZUORA_SYSTEM, id: entity.id.toLowerCase() };
    // Without a provider, the providers the key holds a grant at (an explicit one is checked first).
    const providers = provider ? [provider] : grant.linkProviders();
    // One provider failing leaves the other's links, with its error beside them.
    return linksFromProviders<ExternalLink>(context, info, providers.map((p) => loaders.linksTo[p].load(key)));
  },
};
