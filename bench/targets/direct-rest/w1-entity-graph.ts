/**
 * W1 by hand: one `GET /v1/entities` (both ends' names come from it too), then one connection
 * list per listed entity, acting as that entity (Zuora has no cross-entity endpoint), all at
 * once, every page at 300 rows: 1 + N calls in two rounds. The entity list comes first because
 * it decides whose connections are read; starting the lists from the configured entity ids
 * would save a round trip but could miss or add entities.
 */
import type { DirectContext } from './direct-context.js';
import { listAllConnections, listEntities } from './vendor-reads.js';

const FIRST = 500;

export async function entityGraph({ v, actingEntityId }: DirectContext): Promise<unknown> {
  const entities = await listEntities(v, actingEntityId);
  const page = entities.slice(0, FIRST);
  const lists = await Promise.all(page.map((entity) => listAllConnections(v, entity.id)));
  const byId = new Map(entities.map((e) => [e.id.toLowerCase(), e]));
  const end = (id: string) => {
    const entity = byId.get(id.toLowerCase());
    return entity === undefined ? null : { entityId: entity.id, name: entity.name ?? null };
  };
  const nodes = page.map((entity, i) => ({
    entityId: entity.id,
    name: entity.name ?? null,
    connections: {
      nodes: lists[i]!.slice(0, FIRST).map((c) => ({
        connectionId: c.id,
        status: c.status ? c.status.toUpperCase() : null,
        source: end(c.sourceEntityId),
        target: end(c.targetEntityId),
      })),
    },
  }));
  return { entities: { totalCount: entities.length, nodes } };
}
