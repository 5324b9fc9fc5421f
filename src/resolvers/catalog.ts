/** The Rev.io catalog and the m3ter mapping configuration, as their loaders hold them. */
import type { QueryResolvers } from '../__generated__/graphql.js';

export const catalogQueries: Pick<QueryResolvers, 'integrationSystems' | 'integrationEntityTypes' | 'mappingConfiguration'> = {
  integrationSystems: async (_root, _args, { loaders }) => [...(await loaders.revioCatalog.get()).systems],
  integrationEntityTypes: async (_root, _args, { loaders }) => [...(await loaders.revioCatalog.get()).entityTypes],
  mappingConfiguration: (_root, _args, { loaders }) => loaders.m3terConfiguration.get(),
};
