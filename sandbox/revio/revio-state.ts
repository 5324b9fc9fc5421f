import type { RevioClientFixture, RevioEntityTypeRecord, RevioFixtures, RevioSystemRecord, RevioUserFixture } from '../fixtures/types.js';
import { KeyLinkStore } from './key-link-store.js';

/** A fixture user plus the id written to `created_by` on the links it creates. */
export interface RevioUser extends RevioUserFixture {
  readonly userId: number;
}

/** One Rev.io client (tenant): its own database of key links and the entity ids that exist. */
export interface RevioClient {
  readonly clientCode: string;
  readonly subscriptionKey: string;
  /** Keyed by lower-cased login: logins compare case-insensitively. */
  readonly users: ReadonlyMap<string, RevioUser>;
  /** integration_entity_type_id → internal ids that exist for that type. */
  readonly internalIds: ReadonlyMap<number, ReadonlySet<number>>;
  readonly links: KeyLinkStore;
}

/** The whole simulator state; rebuilt from the fixtures on reset. */
export interface RevioState {
  /** Systems and entity types are the vendor's global lists, sorted by id. */
  readonly systems: readonly RevioSystemRecord[];
  readonly systemsById: ReadonlyMap<number, RevioSystemRecord>;
  readonly entityTypes: readonly RevioEntityTypeRecord[];
  readonly entityTypesById: ReadonlyMap<number, RevioEntityTypeRecord>;
  readonly clientsByKey: ReadonlyMap<string, RevioClient>;
  /** Keyed by lower-cased client code. */
  readonly clientsByCode: ReadonlyMap<string, RevioClient>;
}

/**
 * `created_by` of links made through the API: 101 for a client's first user, 102 for the second,
 * and so on. Seeded links use other values (null, 17, 42), so tests can tell them apart.
 */
const FIRST_USER_ID = 101;

export function createRevioState(input: RevioFixtures): RevioState {
  const fixtures = structuredClone(input);
  const systems = [...fixtures.systems].sort((a, b) => a.integration_system_id - b.integration_system_id);
  const entityTypes = [...fixtures.entityTypes].sort((a, b) => a.integration_entity_type_id - b.integration_entity_type_id);
  const clients = fixtures.clients.map(createClient);
  return {
    systems,
    systemsById: new Map(systems.map((s) => [s.integration_system_id, s])),
    entityTypes,
    entityTypesById: new Map(entityTypes.map((t) => [t.integration_entity_type_id, t])),
    clientsByKey: new Map(clients.map((c) => [c.subscriptionKey, c])),
    clientsByCode: new Map(clients.map((c) => [c.clientCode.toLowerCase(), c])),
  };
}

function createClient(fixture: RevioClientFixture): RevioClient {
  return {
    clientCode: fixture.clientCode,
    subscriptionKey: fixture.subscriptionKey,
    users: new Map(fixture.users.map((user, i) => [user.login.toLowerCase(), { ...user, userId: FIRST_USER_ID + i }])),
    internalIds: new Map(Object.entries(fixture.internalIds).map(([typeId, ids]) => [Number(typeId), new Set(ids)])),
    links: new KeyLinkStore(fixture.keyLinks),
  };
}
