/** Zuora entity connections: the root list and the relations of a connection. */
import type { ConnectionResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { connectionListPage } from './connection-list-page.js';
import { connectionGlobalId, entityIdArg } from './ids.js';

export const connectionQueries: Pick<QueryResolvers, 'connections'> = {
  // Paged upstream with cursors that carry Zuora's position (connection-list-page.ts).
  connections: (_root, args, { providers, requestId }) => connectionListPage(providers, entityIdArg(args.entityId, 'entityId'), args, requestId),
};

export const Connection: ConnectionResolvers = {
  id: (connection) => connectionGlobalId(connection),
  connectionId: (connection) => connection.id,
  source: (connection, _args, { loaders }) => loaders.entityById.load(connection.sourceEntityId.toLowerCase()),
  target: (connection, _args, { loaders }) => loaders.entityById.load(connection.targetEntityId.toLowerCase()),
  direction(connection) {
    const viewpoint = connection.viewpointEntityId;
    if (viewpoint === null) return null;
    if (connection.sourceEntityId.toLowerCase() === viewpoint) return 'OUTBOUND';
    return connection.targetEntityId.toLowerCase() === viewpoint ? 'INBOUND' : null;
  },
};
