/** The Rev.io catalog and the m3ter mapping configuration, as the request's loaders hold them. */
import type { QueryResolvers } from '../__generated__/graphql.js';

export const catalogQueries: Pick<QueryResolvers, 'integrationSystems' | 'integrationEntityTypes' | 'mappingConfiguration'> = {
  integrationSystems: (_root, _args, { loaders }) => loaders.integrationSystems.get(),
  integrationEntityTypes: (_root, _args, { loaders }) => loaders.integrationEntityTypes.get(),
  mappingConfiguration: (_root, _args, { loaders }) => loaders.mappingConfiguration.get(),
};
