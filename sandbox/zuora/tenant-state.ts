import { createRng } from '../core/rng.js';
import type { ZuoraConnectionRecord, ZuoraEntityRecord, ZuoraTenantFixture } from '../fixtures/types.js';

export type ConnectionDirection = 'both' | 'inbound' | 'outbound';

/** An OAuth client as the simulator sees it: its secret and, per entity it may act as, admin or not. */
export interface ClientAccess {
  clientId: string;
  clientSecret: string;
  /** The `user.<32hex>` part of every scope issued to this client. */
  userId: string;
  tenant: TenantState;
  /** entity id (32 hex) → admin rights there. */
  grants: Map<string, boolean>;
}

interface ConnectionLists {
  both: ZuoraConnectionRecord[];
  inbound: ZuoraConnectionRecord[];
  outbound: ZuoraConnectionRecord[];
}

const EMPTY: readonly ZuoraConnectionRecord[] = Object.freeze([]);

/**
 * One Zuora tenant: its entity hierarchy, connections and OAuth clients. Connections are kept in
 * per-entity lists in creation order so a page of the list endpoint is a slice, never a sort.
 */
export class TenantState {
  readonly tenantId: string;
  readonly rootId: string;
  /** Insertion order is the order `GET /v1/entities` answers in: root first, then by creation. */
  readonly entities = new Map<string, ZuoraEntityRecord>();
  readonly connections = new Map<string, ZuoraConnectionRecord>();
  readonly clients: ClientAccess[] = [];
  private readonly idsByName = new Map<string, string>();
  private readonly lists = new Map<string, ConnectionLists>();

  constructor(fixture: ZuoraTenantFixture) {
    const root = fixture.entities[0];
    if (!root) throw new Error(`Zuora tenant ${fixture.tenantId} has no entities; the root must come first`);
    this.tenantId = fixture.tenantId;
    this.rootId = root.id;
    for (const entity of fixture.entities) this.addEntity(entity);
    for (const connection of fixture.connections) this.addConnection(connection);
    for (const client of fixture.clients) {
      this.clients.push({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        userId: createRng(`zuora-user:${client.clientId}`).hex(32),
        tenant: this,
        grants: new Map(client.entities.map((grant) => [grant.entityId, grant.admin])),
      });
    }
  }

  /** Names are unique case-insensitively within the hierarchy. */
  entityByName(name: string): ZuoraEntityRecord | undefined {
    const id = this.idsByName.get(name.toLowerCase());
    return id === undefined ? undefined : this.entities.get(id);
  }

  addEntity(entity: ZuoraEntityRecord): void {
    this.entities.set(entity.id, entity);
    this.idsByName.set(entity.name.toLowerCase(), entity.id);
  }

  rename(entity: ZuoraEntityRecord, name: string): void {
    this.idsByName.delete(entity.name.toLowerCase());
    entity.name = name;
    this.idsByName.set(name.toLowerCase(), entity.id);
  }

  /** The entity and everything below it, parents before children. */
  subtreeOf(id: string): ZuoraEntityRecord[] {
    const root = this.entities.get(id);
    if (!root) return [];
    const out = [root];
    for (let i = 0; i < out.length; i++) {
      const parentId = (out[i] as ZuoraEntityRecord).id;
      for (const entity of this.entities.values()) if (entity.parentId === parentId) out.push(entity);
    }
    return out;
  }

  /** Removes entities and every client's access to them. */
  removeEntities(entities: readonly ZuoraEntityRecord[]): void {
    for (const entity of entities) {
      this.entities.delete(entity.id);
      this.idsByName.delete(entity.name.toLowerCase());
      for (const client of this.clients) client.grants.delete(entity.id);
    }
  }

  addConnection(connection: ZuoraConnectionRecord): void {
    this.connections.set(connection.id, connection);
    const source = this.listsOf(connection.sourceEntityId);
    const target = this.listsOf(connection.targetEntityId);
    source.both.push(connection);
    source.outbound.push(connection);
    target.both.push(connection);
    target.inbound.push(connection);
  }

  /** The entity's connections, oldest first; the array is shared, so callers only slice it. */
  connectionsOf(entityId: string, direction: ConnectionDirection): readonly ZuoraConnectionRecord[] {
    return this.lists.get(entityId)?.[direction] ?? EMPTY;
  }

  private listsOf(entityId: string): ConnectionLists {
    let lists = this.lists.get(entityId);
    if (!lists) {
      lists = { both: [], inbound: [], outbound: [] };
      this.lists.set(entityId, lists);
    }
    return lists;
  }
}
