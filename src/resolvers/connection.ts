/** Zuora entity connections: the root list and the relations of a connection. */
import type { ConnectionResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { checkPageArgs, connectionPageList, connectionsPage } from './connection-page.js';
import { connectionGlobalId, entityIdArg } from './ids.js';

export const connectionQueries: Pick<QueryResolvers, 'connections'> = {
  async connections(_root, args, { loaders }) {
    const viewpoint = entityIdArg(args.entityId, 'entityId');
    checkPageArgs(connectionPageList(viewpoint, args), args);
    return connectionsPage(await loaders.connectionsOf.load(viewpoint), viewpoint, args);
  },
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
