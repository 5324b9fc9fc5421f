/**
 * Every query bounded before it runs, and budgets while it runs, over HTTP with real
 * keys: the documents that took the first version down are refused with QUERY_LIMIT_EXCEEDED and
 * no vendor call, and the gateway answers everyone afterwards; a key's own limits override the
 * gateway's; a request past its vendor-call, answer-size or time budget answers with what is ready.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, withGateway, type TestGateway } from '../helpers/gateway.js';

const DEFAULT = 'ilk_test_limits_default_0123456789abc';
const BULK = 'ilk_test_limits_bulk_0123456789abcdef0';
const FRUGAL = 'ilk_test_limits_frugal_0123456789abcde';
const HASTY = 'ilk_test_limits_hasty_0123456789abcdef';

/** `connections(first: 500) { nodes { source { … } } }` wrapped `wraps` times under `entity(id:)`. */
function wrapped(entityId: string, wraps: number): string {
  let inner = 'name';
  for (let i = 0; i < wraps; i += 1) inner = `connections(first: 500) { nodes { source { ${inner} } } }`;
  return `{ entity(id: "${entityId}") { ${inner} } }`;
}

describe('query limits over HTTP', () => {
  const gw = withGateway({
      keys: {
        default: { key: DEFAULT, scopes: ['read', 'write'] },
        bulk: { key: BULK, scopes: ['read'], limits: { maxAliases: 2_000, maxRootFields: 2_000 } },
        frugal: { key: FRUGAL, scopes: ['read'], limits: { maxVendorCalls: 2, maxResultItems: 3 } },
        hasty: { key: HASTY, scopes: ['read'], limits: { deadlineMs: 300 } },
      },
    });
  let root: string;

  beforeAll(async () => {
    root = gw.sandbox.fixtures.facts.companies[0]!.zuora.rootEntityId;
  });

  async function healthy(): Promise<void> {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const other = await gw.post('{ entity(id: "' + root + '") { name } }', { key: BULK });
    expect(other.body.errors).toBeUndefined();
  }

  const refusals: [string, () => string, string][] = [
    ['connections wrapped 16 deep (the crash)', () => wrapped(root, 16), 'maxDepth'],
    ['connections wrapped 3 deep: 500 × 500 × 500 items', () => wrapped(root, 3), 'maxCost'],
    ['1,000 aliases of connections(entityId:)', () => `{ ${Array.from({ length: 1000 }, (_, i) => `c${i}: connections(entityId: "${root}") { nodes { status } }`).join(' ')} }`, 'maxAliases'],
    ['120 root fields without aliases', () => `{ ${Array.from({ length: 120 }, () => 'entities { totalCount }').join(' ')} }`, 'maxRootFields'],
    ['60 @include directives', () => `query($t: Boolean = true) { entities { nodes { ${Array.from({ length: 60 }, () => 'name @include(if: $t)').join(' ')} } } }`, 'maxDirectives'],
  ];

  it.each(refusals)('refuses %s before any vendor call, with the limit and the measure', async (_name, document, limit) => {
    const mark = gw.sandbox.ledger.mark;
    const response = await gw.post(document(), { key: DEFAULT });
    expect(response.status).toBe(400);
    const error = response.body.errors[0];
    expect(error.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit, max: expect.any(Number), measured: expect.any(Number) });
    expect(error.extensions.measured).toBeGreaterThan(error.extensions.max);
    expect(gw.calls(mark)).toBe(0);
    await healthy();
  });

  it('refuses a document over the token limit while parsing, with the count', async () => {
    const mark = gw.sandbox.ledger.mark;
    const response = await gw.post(`{ ${Array.from({ length: 25_000 }, () => '__typename').join(' ')} }`, { key: DEFAULT });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxTokens', max: 20_000, measured: 25_002 }, message: 'The document has 25002 tokens; the limit is 20000' });
    expect(gw.calls(mark)).toBe(0);
  });

  it("lets a key's own limits raise the gateway's: 150 aliases run for the bulk key, batched into one entity list", async () => {
    const document = `{ ${Array.from({ length: 150 }, (_, i) => `e${i}: entity(id: "${root}") { name }`).join(' ')} }`;
    expect((await gw.post(document, { key: DEFAULT })).body.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxAliases', max: 100, measured: 150 });
    const mark = gw.sandbox.ledger.mark;
    const bulk = await gw.post(document, { key: BULK });
    expect(bulk.body.errors).toBeUndefined();
    expect(Object.keys(bulk.body.data)).toHaveLength(150);
    expect(gw.calls(mark)).toBe(1);
  });

  it('stops an answer at its item budget', async () => {
    const response = await gw.post('{ entities(first: 10) { nodes { name } } }', { key: FRUGAL });
    expect(response.body.data.entities).toBeNull();
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'REQUEST_BUDGET_EXCEEDED', limit: 'maxResultItems', max: 3 });
  });

  it('answers at the deadline with what is ready: partial data and REQUEST_TIMEOUT for the slow field', async () => {
    gw.sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 3_000, match: { path: '^/v1/entity-connections' } }] });
    try {
      const response = await gw.post(`{ entities { totalCount } connections(entityId: "${root}") { nodes { status } } }`, { key: HASTY });
      expect(response.status).toBe(200);
      expect(response.body.data.entities.totalCount).toBeGreaterThan(0);
      expect(response.body.data.connections).toBeNull();
      expect(response.body.errors).toEqual([expect.objectContaining({ path: ['connections'], extensions: expect.objectContaining({ code: 'REQUEST_TIMEOUT', deadlineMs: 300, retryable: true }) })]);
    } finally {
      gw.sandbox.setFaults('zuora', { rules: [] });
    }
  });
});

describe('query limits from configuration', () => {
  let gw: TestGateway;
  afterAll(() => gw?.close());

  it('takes the gateway-wide limits from the environment', async () => {
    gw = await startGateway({ keys: { default: { key: DEFAULT, scopes: ['read'] } }, env: { INTERLINK_MAX_QUERY_DEPTH: '2' } });
    expect((await gw.post('{ entities { totalCount } }', { key: DEFAULT })).body.errors).toBeUndefined();
    const deep = await gw.post('{ entities { nodes { name } } }', { key: DEFAULT });
    expect(deep.body.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxDepth', max: 2, measured: 3 });
  });
});

describe('the vendor-call budget over HTTP', () => {
  // Identical reads in one request share one call (INTERLINK_SHARE_VENDOR_READS), so three aliases
  // of the same list cost one; off, each alias is its own call and the budget of 2 stops the third.
  const frugal = withGateway({ keys: { frugal: { key: FRUGAL, scopes: ['read'], limits: { maxVendorCalls: 2, maxResultItems: 3 } } }, env: { INTERLINK_SHARE_VENDOR_READS: 'off' } });
  let root: string;

  beforeAll(async () => {
    root = frugal.sandbox.fixtures.facts.companies[0]!.zuora.rootEntityId;
  });

  it('stops a request at its vendor-call budget: the rest fails fast with REQUEST_BUDGET_EXCEEDED', async () => {
    const entities = frugal.sandbox.fixtures.zuora.tenants[0]!.entities.slice(0, 3).map((e) => e.id);
    // The frugal key acts as the root only, and may list the root's connections: three aliases of it, two calls allowed.
    const document = `{ ${['a', 'b', 'c'].map((alias, i) => `${alias}: connections(entityId: "${root}", status: ${['CONNECTED', 'PENDING', 'DISCONNECTED'][i]}, first: 1) { nodes { status } }`).join(' ')} }`;
    const mark = frugal.sandbox.ledger.mark;
    const response = await frugal.post(document, { key: FRUGAL });
    expect(response.status).toBe(200);
    const budget = response.body.errors.filter((e: any) => e.extensions.code === 'REQUEST_BUDGET_EXCEEDED');
    expect(budget).toHaveLength(1);
    expect(budget[0].extensions).toMatchObject({ limit: 'maxVendorCalls', max: 2 });
    expect(frugal.calls(mark)).toBe(2);
    expect(entities.length).toBeGreaterThan(0);
  });
});
