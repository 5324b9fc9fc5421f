// The identity graph over the seeded sandbox: who a record is everywhere, each record once,
// and what each hop costs upstream (counted in the sandbox's ledger).
import { beforeAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const GRAPH = `query($system: String!, $id: String!, $depth: Int) {
  identityGraph(system: $system, id: $id, depth: $depth) {
    truncated
    nodes { system type id depth entity { entityId name } }
    edges { provider internal external link { provider nativeId } }
  }
}`;

const gateway = withGateway();
const company = () => gateway.sandbox.fixtures.facts.companies[0]!;
const richest = () => company().customers[0]!;
const org = () => gateway.sandbox.fixtures.m3ter.orgs[0]!;

type Graph = { truncated: boolean; nodes: { system: string; type: string | null; id: string; depth: number; entity: { entityId: string; name: string } | null }[]; edges: { provider: string; internal: number; external: number; link: { nativeId: string } }[] };

async function graph(system: string, id: string, depth?: number): Promise<Graph> {
  const result = await gateway.execute<{ identityGraph: Graph }>(GRAPH, { system, id, ...(depth === undefined ? {} : { depth }) });
  expect(result.errors).toBeUndefined();
  return result.data!.identityGraph;
}

// The m3ter configuration and the Rev.io catalog are kept per process: read them once, so each count below is the hop's own.
beforeAll(async () => {
  await graph('Salesforce', '0012D0000warmup');
});

describe('identityGraph: the seed\'s richest customer', () => {
  it('follows Salesforce → both m3ter Accounts and the Rev.io customer → their Stripe customer, each record once', async () => {
    const customer = richest();
    const claimant = org().mappings.find((m) => m.externalId === customer.salesforceAccountId && m.m3terId !== customer.m3terAccountId)!;
    const found = await graph('salesforce', customer.salesforceAccountId, 3);
    expect(found.truncated).toBe(false);
    expect(found.nodes.map(({ system, id, depth }) => `${depth} ${system} ${id}`).sort()).toEqual(
      [
        `0 salesforce ${customer.salesforceAccountId}`,
        `1 m3ter ${customer.m3terAccountId}`,
        `1 m3ter ${claimant.m3terId}`,
        `1 Rev.io ${customer.revioCustomerId}`,
        `2 Stripe ${customer.stripeCustomerId}`,
      ].sort(),
    );
    // Five links: m3ter ×2 and Rev.io to the Salesforce account, m3ter to Stripe, and Rev.io's link to the m3ter Account.
    expect(found.edges).toHaveLength(5);
    expect(new Set(found.edges.map((edge) => `${edge.provider} ${edge.link.nativeId}`)).size).toBe(5);
    const rev = found.nodes.findIndex((node) => node.id === String(customer.revioCustomerId));
    const m3terAccount = found.nodes.findIndex((node) => node.id === customer.m3terAccountId);
    expect(found.edges).toContainEqual(expect.objectContaining({ provider: 'REVIO', internal: rev, external: m3terAccount }));
  });

  it('costs per hop one lookup per provider and kind of record, not one per record', async () => {
    const customer = richest();
    const calls: number[] = [];
    for (const depth of [1, 2, 3]) {
      const mark = gateway.sandbox.ledger.mark;
      await graph('Salesforce', customer.salesforceAccountId, depth);
      calls.push(gateway.calls(mark));
    }
    const perHop = calls.map((total, i) => total - (calls[i - 1] ?? 0));
    // Hop 1: m3ter's Salesforce list and one Rev.io search (naive: the same 2).
    // Hop 2: both m3ter Accounts in one m3terIds list, both as Rev.io M3TER records in one search, the Rev.io customer in one search (naive: 5).
    // Hop 3: the Stripe customer in m3ter's Stripe list; Rev.io holds no Stripe system, so it is not asked (naive: 2).
    expect(perHop).toEqual([2, 3, 1]);
  });

  it('handles the cycle Rev.io customer → m3ter Account → Salesforce → Rev.io customer: every record once at depth 4', async () => {
    const customer = richest();
    const found = await graph('Rev.io', String(customer.revioCustomerId), 4);
    const keys = found.nodes.map((node) => `${node.system.toLowerCase()} ${node.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining([`salesforce ${customer.salesforceAccountId}`, `m3ter ${customer.m3terAccountId}`, `stripe ${customer.stripeCustomerId}`]));
    expect(found.nodes[0]).toMatchObject({ system: 'Rev.io', id: String(customer.revioCustomerId), depth: 0 });
  });
});

describe('identityGraph and resolveExternalId: Zuora ids in any form', () => {
  const entity = () => gateway.sandbox.fixtures.zuora.tenants[0]!.entities[1]!;
  const hyphenated = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toUpperCase();

  it('starts from a hyphenated, upper-case entity id and answers the Entity on its node', async () => {
    const id = entity().id;
    const fromHex = await graph('Zuora', id, 2);
    const fromHyphenated = await graph('ZUORA', hyphenated(id), 2);
    expect(fromHyphenated.nodes.slice(1)).toEqual(fromHex.nodes.slice(1));
    expect(fromHyphenated.nodes[0]).toMatchObject({ id, depth: 0, entity: { entityId: id, name: entity().name } });
    // The entity's m3ter Account and Rev.io customer, and Rev.io's link between those two.
    expect(fromHex.nodes.map((node) => node.system).sort()).toEqual(['Rev.io', 'Zuora', 'm3ter']);
    expect(fromHex.edges).toHaveLength(3);
  });

  it('resolveExternalId finds the same links for the 32-hex, hyphenated and upper-case forms', async () => {
    const query = 'query($id: String!) { resolveExternalId(system: "Zuora", id: $id) { provider nativeId } }';
    const id = entity().id;
    const hex = await gateway.execute(query, { id });
    expect(hex.data!.resolveExternalId).toHaveLength(2);
    for (const form of [hyphenated(id), id.toUpperCase(), hyphenated(id).toLowerCase()]) {
      expect((await gateway.execute(query, { id: form })).data).toEqual(hex.data);
    }
  });
});

describe('identityGraph: input checked before any call', () => {
  it.each([0, 5, -1])('refuses depth %s with BAD_USER_INPUT', async (depth) => {
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute(GRAPH, { system: 'Salesforce', id: richest().salesforceAccountId, depth });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: `depth must be 1 to 4, got ${depth}` });
    expect(gateway.calls(mark)).toBe(0);
  });

  it('refuses an empty system with BAD_USER_INPUT', async () => {
    const result = await gateway.execute(GRAPH, { system: ' ', id: 'x' });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers only the start record for an id no provider links, after one lookup per provider', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const found = await graph('Salesforce', '0012D0000NOBODY', 4);
    expect(found.nodes).toEqual([{ system: 'Salesforce', type: null, id: '0012D0000NOBODY', depth: 0, entity: null }]);
    expect(found.edges).toEqual([]);
    expect(gateway.calls(mark)).toBe(2);
  });
});

describe('identityGraph: under the request budget (issue 23: 100 aliases at depth 4 took 32.6 s)', () => {
  const keys = {
    admin: { key: 'ilk_test_graph_budget_admin_0000000001', scopes: ['read' as const] },
    tiny: { key: 'ilk_test_graph_budget_tiny_00000000002', scopes: ['read' as const], limits: { maxResultItems: 3 } },
    hasty: { key: 'ilk_test_graph_budget_hasty_0000000003', scopes: ['read' as const], limits: { deadlineMs: 300 } },
  };
  const budgeted = withGateway({ keys });
  const first = () => budgeted.sandbox.fixtures.facts.companies[0]!.customers[0]!;
  const codes = (body: { errors?: { extensions: { code: string } }[] }) => [...new Set((body.errors ?? []).map((e) => e.extensions.code))];
  const one = (depth: number) => `query($id: String!) { identityGraph(system: "Salesforce", id: $id, depth: ${depth}) { nodes { id } edges { provider } } }`;

  it('refuses 100 aliases at depth 4 on distinct ids up front by cost, with no vendor call', async () => {
    const document = `{ ${Array.from({ length: 100 }, (_, i) => `g${i}: identityGraph(system: "Salesforce", id: "0012D0000x${i}", depth: 4) { nodes { id } edges { provider } }`).join(' ')} }`;
    const mark = budgeted.sandbox.ledger.mark;
    const refused = await budgeted.post(document, { key: keys.admin.key });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost' });
    expect(budgeted.calls(mark)).toBe(0);
  });

  it('counts the records and links the walk holds against the item budget', async () => {
    const full = await budgeted.post(one(4), { key: keys.admin.key, variables: { id: first().salesforceAccountId } });
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data.identityGraph.nodes.length).toBeGreaterThan(3);

    const answer = await budgeted.post(one(4), { key: keys.tiny.key, variables: { id: first().salesforceAccountId } });
    expect(answer.body.data?.identityGraph ?? null).toBeNull();
    expect(codes(answer.body)).toEqual(['REQUEST_BUDGET_EXCEEDED']);
  });

  it('answers REQUEST_TIMEOUT at the deadline instead of waiting for a slow vendor', async () => {
    budgeted.sandbox.setFaults('m3ter', { rules: [{ kind: 'latency', latencyMs: 2_000 }] });
    try {
      const answer = await budgeted.post(one(4), { key: keys.hasty.key, variables: { id: first().salesforceAccountId } });
      expect(answer.body.data?.identityGraph ?? null).toBeNull();
      expect(codes(answer.body)).toEqual(['REQUEST_TIMEOUT']);
    } finally {
      budgeted.sandbox.setFaults('m3ter', { rules: [] });
    }
  });
});
