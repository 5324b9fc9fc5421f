/**
 * Entities and connections, the first-attempt way: every field resolver calls Zuora for what it
 * needs when it runs. A connection's `source` and `target` each read their entity by id, so a
 * graph of N entities with C connection rows costs 1 + N + 2C calls.
 */
import type { ZuoraConnection, ZuoraEntity } from '../direct-rest/vendor-reads.js';
import { globalId, listAllConnections, listEntities } from '../direct-rest/vendor-reads.js';
import { getEntity, linksTo, type NaiveContext } from './naive-calls.js';
import { offsetPage } from './offset-page.js';

type Args = Record<string, any>;
/** A connection as reached from one entity, so `direction` can be answered. */
type ConnectionModel = ZuoraConnection & { viewpoint: string | null };

const upper = (value: string | null | undefined) => (value ? value.toUpperCase() : null);

function connectionsPage(rows: ZuoraConnection[], viewpoint: string, args: Args) {
  const direction = args.direction ?? 'BOTH';
  const matching = rows
    .filter((c) => direction === 'BOTH' || (direction === 'OUTBOUND' ? c.sourceEntityId === viewpoint : c.targetEntityId === viewpoint))
    .filter((c) => !args.status || upper(c.status) === args.status)
    .map((c): ConnectionModel => ({ ...c, viewpoint }));
  return offsetPage(matching, args);
}

const entityId = (id: string) => Buffer.from(id, 'base64url').toString('utf8').replace(/^Entity:/, '');

export const entityQueries = {
  async entities(_root: unknown, args: Args, context: NaiveContext) {
    const all = await listEntities(context.v, context.actingEntityId);
    const matching = args.status ? all.filter((e) => upper(e.status) === args.status) : all;
    return { ...offsetPage(matching, args), totalCount: matching.length };
  },
  entity: (_root: unknown, { id }: Args, context: NaiveContext) => getEntity(context, /^[0-9a-f-]{32,36}$/i.test(id) ? id : entityId(id)),
  async connections(_root: unknown, args: Args, context: NaiveContext) {
    const viewpoint = String(args.entityId).toLowerCase();
    return connectionsPage(await listAllConnections(context.v, viewpoint), viewpoint, args);
  },
};

export const Entity = {
  id: (entity: ZuoraEntity) => globalId('Entity', entity.id),
  entityId: (entity: ZuoraEntity) => entity.id,
  status: (entity: ZuoraEntity) => upper(entity.status),
  parent: (entity: ZuoraEntity, _args: Args, context: NaiveContext) => (entity.parentId ? getEntity(context, entity.parentId) : null),
  async children(entity: ZuoraEntity, _args: Args, context: NaiveContext) {
    return (await listEntities(context.v, context.actingEntityId)).filter((child) => child.parentId?.toLowerCase() === entity.id.toLowerCase());
  },
  async connections(entity: ZuoraEntity, args: Args, context: NaiveContext) {
    const viewpoint = entity.id.toLowerCase();
    return connectionsPage(await listAllConnections(context.v, viewpoint), viewpoint, args);
  },
  async externalLinks(entity: ZuoraEntity, { provider }: Args, context: NaiveContext) {
    const links = await linksTo(context, 'Zuora', entity.id);
    return provider ? links.filter((link) => link.provider === provider) : links;
  },
};

export const Connection = {
  id: (c: ConnectionModel) => globalId('Connection', c.sourceEntityId, c.id),
  connectionId: (c: ConnectionModel) => c.id,
  status: (c: ConnectionModel) => upper(c.status),
  source: (c: ConnectionModel, _args: Args, context: NaiveContext) => getEntity(context, c.sourceEntityId),
  target: (c: ConnectionModel, _args: Args, context: NaiveContext) => getEntity(context, c.targetEntityId),
  direction: (c: ConnectionModel) => (c.viewpoint === null ? null : c.sourceEntityId === c.viewpoint ? 'OUTBOUND' : c.targetEntityId === c.viewpoint ? 'INBOUND' : null),
};
