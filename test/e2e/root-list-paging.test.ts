import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/lib/paging.js';
import { withGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The root lists `connections(entityId)` and `externalLinks(filter)` page upstream: cursors carry
 * the vendor's position, and a page costs only the vendor pages it needs. One company with 250
 * customers gives 509 m3ter mappings (3 pages of 200) and 509 Rev.io key links (2 pages of 500).
 */
const LARGE = { companies: 1, entitiesPerCompany: 5, connectionsPerCompany: 8, customersPerCompany: 250, productsPerCompany: 3 };

const LINKS = `query($filter: ExternalLinkFilter, $first: Int, $after: String) {
  externalLinks(filter: $filter, first: $first, after: $after) { nodes { provider nativeId } pageInfo { hasNextPage hasPreviousPage endCursor } }
}`;
const CONNECTIONS = `query($id: ID!, $direction: ConnectionDirection, $status: ConnectionStatus, $first: Int, $after: String) {
  connections(entityId: $id, direction: $direction, status: $status, first: $first, after: $after) { nodes { connectionId direction status } pageInfo { hasNextPage endCursor } }
}`;

/** The scope a cursor the gateway returned carries (its third element). */
const scopeOf = (cursor: string): string => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))[2];
/** The same cursor without its scope: hand-made, since no list writes one. */
const unscoped = (cursor: string): string => {
  const [list, position] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Buffer.from(JSON.stringify([list, position]), 'utf8').toString('base64url');
};

/** Every page of a root list from `after`, following endCursor; the pages' nodes in order. */
async function pageToEnd(gateway: TestGateway, query: string, field: string, variables: Record<string, unknown>, after: string | null = null): Promise<{ nodes: any[]; pages: number }> {
  const nodes: any[] = [];
  let pages = 0;
  do {
    const result = await gateway.execute(query, { ...variables, after });
    expect(result.errors).toBeUndefined();
    const page = result.data![field];
    expect(page.nodes.length).toBeLessThanOrEqual((variables.first as number | undefined) ?? 50);
    nodes.push(...page.nodes);
    pages += 1;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return { nodes, pages };
}

describe('root lists: cursors that carry the upstream position', () => {
  const gateway = withGateway({ sandbox: { limits: 'off', size: LARGE } });
  let mappingIds: string[];
  let keyLinkIds: string[];
  beforeAll(async () => {
    mappingIds = gateway.sandbox.fixtures.m3ter.orgs[0]!.mappings.map((m) => m.id);
    keyLinkIds = gateway.sandbox.fixtures.revio.clients[0]!.keyLinks.map((k) => String(k.integration_key_link_id));
    expect(mappingIds.length).toBeGreaterThan(400);
    expect(keyLinkIds.length).toBeGreaterThan(500);
    // Warm the Rev.io catalog (kept per process) so counts below are the key-link calls alone.
    await gateway.execute('{ integrationSystems { id } }');
  });

  it('pages externalLinks across both providers to the end: every link once, m3ter first', async () => {
    const { nodes } = await pageToEnd(gateway, LINKS, 'externalLinks', { first: 37 });
    const keys = nodes.map((n) => `${n.provider}:${n.nativeId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual([...mappingIds.map((id) => `M3TER:${id}`), ...keyLinkIds.map((id) => `REVIO:${id}`)].sort());
    const lastM3ter = nodes.findLastIndex((n) => n.provider === 'M3TER');
    const firstRevio = nodes.findIndex((n) => n.provider === 'REVIO');
    expect(lastM3ter).toBe(firstRevio - 1);
  });

  it('pages each provider alone to the end across its upstream page boundaries', async () => {
    const m3ter = await pageToEnd(gateway, LINKS, 'externalLinks', { filter: { provider: 'M3TER' }, first: 7 });
    expect(m3ter.nodes.map((n) => n.nativeId).sort()).toEqual([...mappingIds].sort());
    const revio = await pageToEnd(gateway, LINKS, 'externalLinks', { filter: { provider: 'REVIO' }, first: 45 });
    expect(revio.nodes.map((n) => n.nativeId).sort()).toEqual([...keyLinkIds].sort());
  });

  it('costs one upstream page for first: 2 on a list of several vendor pages', async () => {
    const m3terMark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute(LINKS, { first: 2 });
    expect(first.data!.externalLinks.nodes).toHaveLength(2);
    expect(first.data!.externalLinks.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // 1 m3ter list page (200 rows, 2 returned + 1 to see past); Rev.io is not asked while m3ter has more.
    // Reading the whole list, as before, took 3 m3ter pages + 2 Rev.io pages = 5.
    expect(gateway.calls(m3terMark)).toBe(1);
    expect(gateway.calls(m3terMark, { vendor: 'm3ter', path: /externalmappings$/ })).toBe(1);

    const nextMark = gateway.sandbox.ledger.mark;
    const second = await gateway.execute(LINKS, { first: 2, after: first.data!.externalLinks.pageInfo.endCursor });
    expect(second.data!.externalLinks.pageInfo.hasPreviousPage).toBe(true);
    // The cursor names m3ter's first page: that page again, nothing before it.
    expect(gateway.calls(nextMark)).toBe(1);

    const revioMark = gateway.sandbox.ledger.mark;
    const revio = await gateway.execute(LINKS, { filter: { provider: 'REVIO' }, first: 2 });
    expect(revio.data!.externalLinks.nodes).toHaveLength(2);
    // 1 Rev.io search page of 500 of the 509 key links (2 pages whole).
    expect(gateway.calls(revioMark)).toBe(1);
    expect(gateway.calls(revioMark, { vendor: 'revio', path: 'IntegrationKeyLink' })).toBe(1);
  });

  it('pages connections to the end one at a time, each once, filters applied', async () => {
    const root = gateway.sandbox.fixtures.facts.companies[0]!.zuora.rootEntityId;
    const fixture = gateway.sandbox.fixtures.zuora.tenants[0]!.connections.filter((c) => c.sourceEntityId === root || c.targetEntityId === root);
    expect(fixture.length).toBeGreaterThan(1);
    const all = await pageToEnd(gateway, CONNECTIONS, 'connections', { id: root, first: 1 });
    expect(all.nodes.map((n) => n.connectionId)).toEqual(fixture.map((c) => c.id));

    for (const status of ['CONNECTED', 'PENDING', 'DISCONNECTED'] as const) {
      const wanted = fixture.filter((c) => c.sourceEntityId === root && c.status.toUpperCase() === status).map((c) => c.id);
      const { nodes } = await pageToEnd(gateway, CONNECTIONS, 'connections', { id: root, direction: 'OUTBOUND', status, first: 1 });
      expect(nodes.map((n) => n.connectionId)).toEqual(wanted);
      expect(nodes.every((n) => n.direction === 'OUTBOUND' && n.status === status)).toBe(true);
    }
  });

  it('follows Zuora page after page from a cursor that carries a page size', async () => {
    const root = gateway.sandbox.fixtures.facts.companies[0]!.zuora.rootEntityId;
    const fixture = gateway.sandbox.fixtures.zuora.tenants[0]!.connections.filter((c) => c.sourceEntityId === root || c.targetEntityId === root);
    // The cursor of the first connection on a Zuora page of 2 rows: [[page, pageSize], index].
    const scope = scopeOf((await gateway.execute(CONNECTIONS, { id: root, first: 1 })).data!.connections.pageInfo.endCursor);
    const after = encodeCursor(`zuora-connections:${root}:BOTH:`, [[1, 2], 0], scope);
    const mark = gateway.sandbox.ledger.mark;
    const { nodes, pages } = await pageToEnd(gateway, CONNECTIONS, 'connections', { id: root, first: 1 }, after);
    expect(nodes.map((n) => n.connectionId)).toEqual(fixture.slice(1).map((c) => c.id));
    const sizes = gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora', path: 'entity-connections' }).map((e) => e.query.pageSize);
    expect(new Set(sizes)).toEqual(new Set(['2']));
    expect(sizes.length).toBeGreaterThanOrEqual(pages);
  });

  it('costs one Zuora page for first: 2', async () => {
    const root = gateway.sandbox.fixtures.facts.companies[0]!.zuora.rootEntityId;
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute(CONNECTIONS, { id: root, first: 2 });
    expect(result.data!.connections.nodes).toHaveLength(2);
    // 1 page of the acting entity's connections (300 rows a page).
    expect(gateway.calls(mark)).toBe(1);
  });

  it('refuses a cursor of another list with BAD_USER_INPUT, before any upstream call', async () => {
    const [root, other] = gateway.sandbox.fixtures.zuora.tenants[0]!.entities.map((e) => e.id);
    const fromEntity = await gateway.execute('query($id: ID!) { entity(id: $id) { connections(first: 1) { pageInfo { endCursor } } } }', { id: root });
    const fromRoot = await gateway.execute(CONNECTIONS, { id: root, first: 1 });
    const fromM3ter = await gateway.execute(LINKS, { filter: { provider: 'M3TER' }, first: 1 });
    const fromEntities = await gateway.execute('{ entities(first: 1) { pageInfo { endCursor } } }');
    const entityCursor = fromEntity.data!.entity.connections.pageInfo.endCursor as string;
    const rootCursor = fromRoot.data!.connections.pageInfo.endCursor as string;
    const m3terCursor = fromM3ter.data!.externalLinks.pageInfo.endCursor as string;
    const entitiesCursor = fromEntities.data!.entities.pageInfo.endCursor as string;

    const mark = gateway.sandbox.ledger.mark;
    const cases: [string, Record<string, unknown>][] = [
      // Entity.connections' offset cursor is not a Zuora position.
      [CONNECTIONS, { id: root, after: entityCursor }],
      // Another entity's, or another filter's, connections.
      [CONNECTIONS, { id: other, after: rootCursor }],
      [CONNECTIONS, { id: root, status: 'PENDING', after: rootCursor }],
      [CONNECTIONS, { id: root, after: m3terCursor }],
      // An m3ter-only cursor is not a cursor of every provider's links, nor of Rev.io's.
      [LINKS, { after: m3terCursor }],
      [LINKS, { filter: { provider: 'REVIO' }, after: m3terCursor }],
      [LINKS, { after: rootCursor }],
      [LINKS, { after: entitiesCursor }],
      // The right list, a position no page can have.
      [CONNECTIONS, { id: root, after: encodeCursor(`zuora-connections:${root}:BOTH:`, [[0, 300], 0], scopeOf(rootCursor)) }],
      [LINKS, { after: encodeCursor('externalLinks:{}', [[null, -2], 'end'], scopeOf(m3terCursor)) }],
      [LINKS, { after: encodeCursor('externalLinks:{}', ['end'], scopeOf(m3terCursor)) }],
      // The right list and position, without the scope every cursor carries (issue 23).
      [CONNECTIONS, { id: root, after: unscoped(rootCursor) }],
      [LINKS, { filter: { provider: 'M3TER' }, after: unscoped(m3terCursor) }],
    ];
    for (const [query, variables] of cases) {
      const result = await gateway.execute(query, variables);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/after is not a cursor of this list/);
    }
    expect(gateway.calls(mark, { withTokens: true })).toBe(0);
  });

  it('refuses an in-memory list cursor without its scope (entities, Entity.connections) with BAD_USER_INPUT', async () => {
    const root = gateway.sandbox.fixtures.zuora.tenants[0]!.entities[0]!.id;
    const ENTITY_CONNECTIONS = 'query($id: ID!, $after: String) { entity(id: $id) { connections(first: 1, after: $after) { pageInfo { endCursor } } } }';
    const ENTITIES = 'query($after: String) { entities(first: 1, after: $after) { pageInfo { endCursor } } }';
    const entityCursor = (await gateway.execute(ENTITY_CONNECTIONS, { id: root })).data!.entity.connections.pageInfo.endCursor as string;
    const entitiesCursor = (await gateway.execute(ENTITIES)).data!.entities.pageInfo.endCursor as string;
    // With their scope they page on.
    expect((await gateway.execute(ENTITIES, { after: entitiesCursor })).errors).toBeUndefined();
    expect((await gateway.execute(ENTITY_CONNECTIONS, { id: root, after: entityCursor })).errors).toBeUndefined();
    for (const [query, variables] of [
      [ENTITIES, { after: unscoped(entitiesCursor) }],
      [ENTITY_CONNECTIONS, { id: root, after: unscoped(entityCursor) }],
    ] as const) {
      const result = await gateway.execute(query, variables);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/after is not a cursor of this list: it carries no scope/);
    }
  });
});
