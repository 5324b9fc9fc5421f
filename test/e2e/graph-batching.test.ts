import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

/**
 * Upstream calls per query, counted exactly from the sandbox ledger (token calls apart). The
 * small world: 5 entities per Zuora tenant, 33 m3ter mappings and 33 Rev.io key links per company,
 * every list one page. Before each count the Rev.io catalog is warm (the client keeps it for the
 * life of the process; the first request pays 2 calls for it, counted in its own test).
 */
const GRAPH = `{
  entities {
    totalCount
    nodes {
      name
      parent { name }
      children { name }
      connections { nodes { direction status source { name } target { name } } }
      externalLinks { provider external { system id } sameExternal { provider nativeId } entity { name } }
    }
  }
}`;

describe('the graph: batching', () => {
  const gateway = withGateway();

  it('loads the Rev.io catalog once per process (2 calls), then never again', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute('{ integrationSystems { id name } integrationEntityTypes { name } }');
    expect(first.errors).toBeUndefined();
    expect(first.data?.integrationSystems).toEqual(expect.arrayContaining([{ id: 10, name: 'ZUORA' }]));
    // 1 systems list + 1 entity-type list.
    expect(gateway.calls(mark)).toBe(2);
    const again = gateway.sandbox.ledger.mark;
    await gateway.execute('{ integrationSystems { id } }');
    expect(gateway.calls(again)).toBe(0);
  });

  it('answers all entities with both connection directions, both ends, links and their cross-links in 1 + N + 3 calls', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute(GRAPH);
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.entities.nodes as any[];
    const n = nodes.length;
    expect(n).toBe(5);
    // 1 GET /v1/entities (entities, parents, children, both ends' names: all from one list)
    // + N connection lists (Zuora lists per acting entity; no cross-entity endpoint)
    // + 1 m3ter configuration (m3ter system names are exact: "Zuora"; the first m3ter lookup of the
    // process reads it, later ones reuse it) + 1 m3ter list externalSystemId=Zuora
    // + 1 Rev.io search on the ZUORA system; sameExternal asks for the same records: 0 more.
    // = 1 + 5 + 3 = 9. A naive resolver pass (each field calls its vendor): 1 entity list
    // + 4 parent reads + 32 end reads (8 connections listed from both ends = 16 rows × 2 ends)
    // + 5 connection lists + 5 m3ter lookups + 5 Rev.io searches + 20 sameExternal (10 links ×
    // 2 providers) = 72.
    expect(gateway.calls(mark)).toBe(1 + n + 3);
    expect(gateway.calls(mark, { vendor: 'zuora', path: '/v1/entities' })).toBe(1);
    expect(gateway.calls(mark, { vendor: 'zuora', path: 'entity-connections' })).toBe(n);
    expect(gateway.calls(mark, { vendor: 'm3ter', path: /externalmappings$/ })).toBe(1);
    expect(gateway.calls(mark, { vendor: 'revio', path: 'IntegrationKeyLink' })).toBe(1);
    // Every entity has one m3ter and one Rev.io link in the seed, each the other's sameExternal.
    for (const entity of nodes) {
      expect(entity.externalLinks.map((l: any) => l.provider).sort()).toEqual(['M3TER', 'REVIO']);
      for (const link of entity.externalLinks) {
        expect(link.entity.name).toBe(entity.name);
        expect(link.sameExternal).toHaveLength(1);
      }
    }
  });

  it('asks Rev.io one exact search for one entity and m3ter one list', async () => {
    const root = gateway.sandbox.fixtures.facts.companies[0]!.zuora.rootEntityId;
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute('query($id: ID!) { entity(id: $id) { name externalLinks { provider } } }', { id: root });
    expect(result.errors).toBeUndefined();
    expect(result.data!.entity.externalLinks).toHaveLength(2);
    // 1 entity list + 1 m3ter list + 1 Rev.io search (external_id exact) = 3 (the m3ter
    // configuration was read by the process's first lookup, above); naive: 4, with the configuration.
    expect(gateway.calls(mark)).toBe(3);
    expect(gateway.calls(mark, { vendor: 'm3ter', path: 'externalmappingconfiguration' })).toBe(0);
    expect(gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio' })[0]!.query).toMatchObject({ 'search.external_id': root });
  });

  it('answers a node of each type and a cross-system lookup from loaders', async () => {
    const company = gateway.sandbox.fixtures.facts.companies[0]!;
    const customer = company.customers[0]!;
    const mark = gateway.sandbox.ledger.mark;
    const lookup = await gateway.execute(
      'query($id: String!) { resolveExternalId(system: "salesforce", id: $id) { id provider tenant internal { type id } external { system type id } } }',
      { id: customer.salesforceAccountId },
    );
    expect(lookup.errors).toBeUndefined();
    const links = lookup.data!.resolveExternalId as any[];
    expect(links.some((l) => l.provider === 'M3TER' && l.internal.id === customer.m3terAccountId)).toBe(true);
    expect(links.some((l) => l.provider === 'REVIO' && l.internal.id === String(customer.revioCustomerId))).toBe(true);
    // 1 m3ter list (Salesforce) + 1 Rev.io exact search = 2; the process already knows m3ter's spelling.
    expect(gateway.calls(mark)).toBe(2);

    const ids = links.map((l) => l.id);
    const bad = await gateway.execute('{ node(id: "x") { id } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const invalid = await gateway.execute('query($unused: ID) { node(id: "x") { id } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const id of ids) {
      const node = await gateway.execute('query($id: ID!) { node(id: $id) { __typename id ... on ExternalLink { provider } } externalLink(id: $id) { id } }', { id });
      expect(node.errors).toBeUndefined();
      expect(node.data!.node).toMatchObject({ __typename: 'ExternalLink', id });
      expect(node.data!.externalLink).toEqual({ id });
    }
    const graph = await gateway.execute('{ entities(first: 1) { nodes { id connections(first: 1) { nodes { id } } } } }');
    const entityId = graph.data!.entities.nodes[0].id;
    const connectionId = graph.data!.entities.nodes[0].connections.nodes[0].id;
    const typed = await gateway.execute('query($e: ID!, $c: ID!) { e: node(id: $e) { __typename id } c: node(id: $c) { __typename id ... on Connection { direction source { name } } } }', { e: entityId, c: connectionId });
    expect(typed.errors).toBeUndefined();
    expect(typed.data).toMatchObject({ e: { __typename: 'Entity', id: entityId }, c: { __typename: 'Connection', id: connectionId, direction: null } });
  });

  it('pages entities, connections and links to the end, each record once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await gateway.execute('query($after: String) { entities(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }', { after });
      seen.push(...page.data.entities.nodes.map((n: any) => n.id));
      after = page.data.entities.pageInfo.hasNextPage ? page.data.entities.pageInfo.endCursor : null;
    } while (after !== null);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);

    const root = gateway.sandbox.fixtures.facts.companies[0]!.zuora.rootEntityId;
    const fixture = gateway.sandbox.fixtures.zuora.tenants[0]!.connections.filter((c) => c.sourceEntityId === root || c.targetEntityId === root);
    const connectionIds: string[] = [];
    after = null;
    do {
      const page: any = await gateway.execute('query($id: ID!, $after: String) { connections(entityId: $id, first: 1, after: $after) { nodes { connectionId } pageInfo { hasNextPage endCursor } } }', { id: root, after });
      connectionIds.push(...page.data.connections.nodes.map((n: any) => n.connectionId));
      after = page.data.connections.pageInfo.hasNextPage ? page.data.connections.pageInfo.endCursor : null;
    } while (after !== null);
    expect(connectionIds.sort()).toEqual(fixture.map((c) => c.id).sort());

    const outbound = await gateway.execute('query($id: ID!) { connections(entityId: $id, direction: OUTBOUND, status: CONNECTED) { nodes { direction status } } }', { id: root });
    expect((outbound.data!.connections.nodes as any[]).every((c) => c.direction === 'OUTBOUND' && c.status === 'CONNECTED')).toBe(true);

    const org = gateway.sandbox.fixtures.m3ter.orgs[0]!;
    const linkIds: string[] = [];
    after = null;
    do {
      const page: any = await gateway.execute('query($after: String) { externalLinks(filter: { provider: M3TER }, first: 10, after: $after) { nodes { nativeId } pageInfo { hasNextPage endCursor } } }', { after });
      linkIds.push(...page.data.externalLinks.nodes.map((n: any) => n.nativeId));
      after = page.data.externalLinks.pageInfo.hasNextPage ? page.data.externalLinks.pageInfo.endCursor : null;
    } while (after !== null);
    expect(linkIds.sort()).toEqual(org.mappings.map((m) => m.id).sort());
  });

  it('filters links by each field with the narrowest upstream call', async () => {
    const customer = gateway.sandbox.fixtures.facts.companies[0]!.customers[1]!;
    const mark = gateway.sandbox.ledger.mark;
    const byInternal = await gateway.execute('query($id: String!) { externalLinks(filter: { provider: M3TER, internalType: "Account", internalId: $id }) { nodes { internal { id } external { system } } } }', { id: customer.m3terAccountId });
    expect(byInternal.errors).toBeUndefined();
    expect((byInternal.data!.externalLinks.nodes as any[]).every((l) => l.internal.id === customer.m3terAccountId)).toBe(true);
    // m3ter `GET /externalmappings/external/{entity}/{m3terId}`: 1 call.
    expect(gateway.calls(mark)).toBe(1);

    const revioMark = gateway.sandbox.ledger.mark;
    const revio = await gateway.execute('query($id: String!) { externalLinks(filter: { provider: REVIO, internalType: "customer", internalId: $id }) { nodes { provider internal { type id } } } }', { id: String(customer.revioCustomerId) });
    expect(revio.errors).toBeUndefined();
    expect((revio.data!.externalLinks.nodes as any[]).length).toBeGreaterThan(0);
    // One Rev.io search with entity type and internal id.
    expect(gateway.calls(revioMark)).toBe(1);

    const config = await gateway.execute('{ mappingConfiguration { m3terEntities externalSystems { name tables allowCustomExternalTables } } }');
    expect(config.data!.mappingConfiguration.externalSystems.map((s: any) => s.name)).toContain('Zuora');
  });

  it('refuses bad ids, cursors, first and filters before any upstream call', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['query($id: ID!) { entity(id: $id) { name } }', { id: 'nope' }, /Entity id or a 32-hex/],
      ['{ entities(first: 0) { totalCount } }', {}, /first must be an integer from 1 to 500/],
      ['{ entities(first: 501) { totalCount } }', {}, /1 to 500, got 501/],
      ['{ entities(after: "garbage") { totalCount } }', {}, /after is not a cursor of this list/],
      ['query($id: ID!) { connections(entityId: $id) { nodes { id } } }', { id: '123' }, /entityId must be an Entity id/],
      ['{ externalLink(id: "RW50aXR5OjE") { id } }', {}, /must be a ExternalLink id/],
      ['{ resolveExternalId(system: " ", id: "x") { id } }', {}, /non-empty/],
    ];
    for (const [query, variables, message] of cases) {
      const result = await gateway.execute(query, variables);
      expect(result.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    expect(gateway.calls(mark)).toBe(0);
    const wrongList = await gateway.execute('{ entities(first: 1) { pageInfo { endCursor } } }');
    const cursor = wrongList.data!.entities.pageInfo.endCursor;
    const crossed = await gateway.execute('query($after: String) { externalLinks(filter: { provider: M3TER }, after: $after) { nodes { id } } }', { after: cursor });
    expect(crossed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
