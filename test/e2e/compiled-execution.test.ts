/**
 * Compiled execution (graphql-jit) must answer exactly as graphql-js does: the same data, the
 * same errors with the same codes and paths, the same HTTP status. Two gateways over two sandboxes
 * seeded alike, one compiling every query (`always`) and one compiling none (`off`), are sent the
 * same documents, healthy, under the same faults and past the same request budgets (items, vendor
 * calls, deadline: enforced while the answer is built), and their answers compared whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_QUERY } from '../../src/sample-query.js';
import type { Scope } from '../../src/callers/api-key-record.js';
import { ADMIN_KEY, startGateway, type PostResult, type TestGateway } from '../helpers/gateway.js';

const FRUGAL = 'ilk_test_compiled_frugal_0123456789abc';
const HASTY = 'ilk_test_compiled_hasty_0123456789abcd';
// The admin key, plus keys whose limits stop an answer while it runs (the request budget).
const KEYS = {
  admin: { key: ADMIN_KEY, scopes: ['read', 'write'] as Scope[] },
  frugal: { key: FRUGAL, scopes: ['read'] as Scope[], limits: { maxVendorCalls: 2, maxResultItems: 3 } },
  hasty: { key: HASTY, scopes: ['read'] as Scope[], limits: { deadlineMs: 300 } },
};

const W1 = `query W1 { entities(first: 500) { totalCount nodes { entityId name connections(direction: BOTH, first: 500) { nodes { connectionId status source { entityId name } target { entityId name } } } } } }`;

const SHAPES = `
query Shapes($first: Int = 3, $withLinks: Boolean!, $skipNames: Boolean!) {
  __typename
  entities(first: $first) {
    ...Page
    edges { cursor node { id ... on Entity { parent { entityId } children { entityId } } } }
  }
  roots: entities(first: 1) { nodes { n: name locale timezone tenantId displayName } }
  externalLinks(first: 10) @include(if: $withLinks) {
    nodes { __typename id provider nativeId tenant internal { system type id } external { system type id } version createdAt updatedAt entity { entityId } }
    pageInfo { hasNextPage endCursor }
  }
}
fragment Page on EntityPage {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { entityId name @skip(if: $skipNames) status externalLinks { provider external { id } } }
}`;

describe('compiled execution answers as graphql-js does', () => {
  let compiled: TestGateway;
  let interpreted: TestGateway;

  beforeAll(async () => {
    [compiled, interpreted] = await Promise.all([
      startGateway({ keys: KEYS, env: { INTERLINK_COMPILED_EXECUTION: 'always', INTERLINK_SHARE_VENDOR_READS: 'off' } }),
      startGateway({ keys: KEYS, env: { INTERLINK_COMPILED_EXECUTION: 'off', INTERLINK_SHARE_VENDOR_READS: 'off' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([compiled?.close(), interpreted?.close()]);
  });

  const both = async (query: string, variables: Record<string, unknown> = {}, key = ADMIN_KEY): Promise<[PostResult, PostResult]> =>
    Promise.all([compiled.post(query, { variables, key }), interpreted.post(query, { variables, key })]);

  const comparable = (answer: PostResult) => ({ status: answer.status, body: answer.body });

  it('the configs differ as asked', () => {
    expect(compiled.config.server.compiledExecution).toBe('always');
    expect(interpreted.config.server.compiledExecution).toBe('off');
  });

  it.each([
    ['the start page sample', SAMPLE_QUERY, {}],
    ['the W1 entity graph', W1, {}],
    ['fragments, aliases, directives, variables with defaults, unions of providers', SHAPES, { withLinks: true, skipNames: true }],
    ['the same with other variables', SHAPES, { first: 7, withLinks: false, skipNames: false }],
  ])('%s: the same data', async (_name, query, variables) => {
    const [a, b] = await both(query, variables);
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
    expect(comparable(a)).toEqual(comparable(b));
  });

  it('variables that do not coerce: the same 400 and the same messages', async () => {
    const [a, b] = await both(SHAPES, { first: 'three', withLinks: 'yes' });
    expect(a.status).toBe(400);
    expect(a.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(comparable(a)).toEqual(comparable(b));
  });

  it('a vendor failing under part of the query: the same partial data, errors, codes and paths', async () => {
    for (const gw of [compiled, interpreted]) gw.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503, match: { path: 'externalmappings' } }] });
    try {
      const [a, b] = await both(SAMPLE_QUERY);
      expect(a.body.data.entities.nodes.length).toBeGreaterThan(0);
      expect(a.body.errors.length).toBeGreaterThan(0);
      expect(a.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(comparable(a)).toEqual(comparable(b));
    } finally {
      for (const gw of [compiled, interpreted]) gw.sandbox.clearFaults();
    }
  });

  it('a vendor answer that breaks the contract: the same masked error and the same null bubbling', async () => {
    for (const gw of [compiled, interpreted]) {
      gw.sandbox.setFaults('zuora', { rules: [{ kind: 'foreign-answer', match: { path: '^/v1/entities$' }, answer: { status: 200, body: { success: true, data: [{ name: 'no id' }] } } }] });
    }
    try {
      const [a, b] = await both(W1);
      expect(a.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(comparable(a)).toEqual(comparable(b));
    } finally {
      for (const gw of [compiled, interpreted]) gw.sandbox.clearFaults();
    }
  });
  it('an answer past its item budget: the same REQUEST_BUDGET_EXCEEDED, stopped at the same place', async () => {
    const [a, b] = await both('{ entities(first: 10) { nodes { name } } }', {}, FRUGAL);
    expect(a.body.data.entities).toBeNull();
    expect(a.body.errors[0].extensions).toMatchObject({ code: 'REQUEST_BUDGET_EXCEEDED', limit: 'maxResultItems', max: 3 });
    expect(comparable(a)).toEqual(comparable(b));
  });

  it('a request past its vendor-call budget: the same fields fail fast, the same codes', async () => {
    const [a, b] = await both(W1, {}, FRUGAL);
    expect(a.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain('REQUEST_BUDGET_EXCEEDED');
    expect(comparable(a)).toEqual(comparable(b));
  });

  it('a request past its deadline: the same partial data and REQUEST_TIMEOUT for the slow field', async () => {
    for (const gw of [compiled, interpreted]) gw.sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 3_000, match: { path: '^/v1/entity-connections' } }] });
    try {
      const [a, b] = await both(W1, {}, HASTY);
      expect(a.status).toBe(200);
      expect(a.body.errors[0].extensions).toMatchObject({ code: 'REQUEST_TIMEOUT', deadlineMs: 300 });
      expect(comparable(a)).toEqual(comparable(b));
    } finally {
      for (const gw of [compiled, interpreted]) gw.sandbox.clearFaults();
    }
  });
});
