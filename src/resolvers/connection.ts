/** Zuora entity connections: the root list and the relations of a connection. */
import type { Loaders } from '../loaders/index.js';
import type { Entity } from '../models.js';
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
  // Answered at once when the entity list is loaded (it usually is: the connections came from it).
  source: (connection, _args, { loaders }) => entityOf(loaders, connection.sourceEntityId),
  target: (connection, _args, { loaders }) => entityOf(loaders, connection.targetEntityId),
  direction(connection) {
    const viewpoint = connection.viewpointEntityId;
    if (viewpoint === null) return null;
    if (connection.sourceEntityId.toLowerCase() === viewpoint) return 'OUTBOUND';
    return connection.targetEntityId.toLowerCase() === viewpoint ? 'INBOUND' : null;
  },
};

/** An entity the request may already hold: answered at once when the list is loaded, else through the loader. */
export function entityOf(loaders: Loaders, entityId: string): Entity | null | Promise<Entity | null> {
  const id = entityId.toLowerCase();
  const now = loaders.entityNow(id);
  return now === undefined ? loaders.entityById.load(id) : now;
}
