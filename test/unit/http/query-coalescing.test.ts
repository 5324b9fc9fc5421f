import { ApolloServer, HeaderMap } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryKindPlugin } from '../../../src/plugins/query-kind-plugin.js';
import { coalescingKeyOf } from '../../../src/http/coalescing-key.js';
import { QueryCoalescing, type SharedAnswer } from '../../../src/http/query-coalescing.js';
import { QueryKinds } from '../../../src/http/query-kinds.js';
import { createOperationResolver, type ResolvedOperation } from '../../../src/http/resolve-operation.js';

const answer = (body = '{"data":{"a":1}}'): SharedAnswer => ({ status: 200, headers: [['content-type', 'application/json']], body, operationName: null, leaderRequestId: 'leader', compressed: new Map() });

describe('QueryCoalescing: flights', () => {
  it('lets a request join while the flight is in the air, not after', async () => {
    const flights = new QueryCoalescing({ epoch: () => 0 });
    expect(flights.join('k')).toBeUndefined();
    const settle = flights.lead('k');
    const joined = [flights.join('k'), flights.join('k')];
    expect(joined.every((promise) => promise !== undefined)).toBe(true);
    const shared = answer();
    settle(shared);
    expect(await Promise.all(joined)).toEqual([shared, shared]);
    // Nothing is kept once the answer is out.
    expect(flights.size).toBe(0);
    expect(flights.joinable('k')).toBe(false);
    expect(flights.join('k')).toBeUndefined();
  });

  it('keeps flights apart by key', () => {
    const flights = new QueryCoalescing({ epoch: () => 0 });
    flights.lead('a');
    expect(flights.join('b')).toBeUndefined();
    expect(flights.join('a')).toBeDefined();
  });

  it('is not joined once the write epoch has moved since it started', async () => {
    let epoch = 0;
    const flights = new QueryCoalescing({ epoch: () => epoch });
    const settleOld = flights.lead('k');
    const before = flights.join('k');
    expect(before).toBeDefined();
    epoch += 1;
    expect(flights.joinable('k')).toBe(false);
    expect(flights.join('k')).toBeUndefined();
    // The request that found it stale leads a fresh flight; later requests join that one.
    const settleNew = flights.lead('k');
    const after = flights.join('k');
    expect(after).toBeDefined();
    // The old flight ends without taking the new one's entry with it.
    settleOld(answer('old'));
    expect((await before)?.body).toBe('old');
    expect(flights.joinable('k')).toBe(true);
    settleNew(answer('new'));
    expect((await after)?.body).toBe('new');
    expect(flights.size).toBe(0);
  });

  it('tells joiners to execute on their own when the leader has nothing to share, or fails', async () => {
    const flights = new QueryCoalescing({ epoch: () => 0 });
    const settle = flights.lead('k');
    const joined = flights.join('k');
    settle(undefined);
    expect(await joined).toBeUndefined();
    // Settling twice (a refusal, then the cleanup in `finally`) changes nothing.
    settle(answer());
    expect(await joined).toBeUndefined();
  });

  it('takes at most maxJoiners per flight; beyond it, requests execute on their own', () => {
    const flights = new QueryCoalescing({ epoch: () => 0, maxJoiners: 2 });
    flights.lead('k');
    expect(flights.join('k')).toBeDefined();
    expect(flights.join('k')).toBeDefined();
    expect(flights.joinable('k')).toBe(false);
    expect(flights.join('k')).toBeUndefined();
  });
});

describe('QueryKinds', () => {
  it('counts writes in the epoch and marks clean answers by request', () => {
    const kinds = new QueryKinds();
    kinds.bumpEpoch();
    expect(kinds.epoch).toBe(1);
    const request = {};
    expect(kinds.cleanAnswerOf(request)).toBeUndefined();
    kinds.markClean(request, 'Q');
    expect(kinds.cleanAnswerOf(request)).toEqual({ operationName: 'Q' });
    expect(kinds.cleanAnswerOf({})).toBeUndefined();
  });
});

describe('coalescingKeyOf', () => {
  const raw = (headers: Record<string, string>): string[] => Object.entries(headers).flat();
  const base = { 'content-type': 'application/json', authorization: 'Bearer k1', 'interlink-zuora-entity': 'e1' };
  const resolver = createOperationResolver({ maxTokens: 1000, documentCacheBytes: 1 << 20, persistedQueryCacheBytes: 1 << 20 });
  const resolved = (body: Record<string, unknown>, method = 'POST'): ResolvedOperation => {
    const search = method === 'GET' ? `?${new URLSearchParams(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}` : '';
    const resolution = resolver.resolve({ method, search, body: method === 'GET' ? undefined : body, hasBody: method !== 'GET' });
    if (!resolution.ok) throw new Error(resolution.refusal.message);
    return resolution.operation;
  };
  const key = (headers: Record<string, string>, body: Record<string, unknown> = { query: '{ a }' }, method = 'POST') => coalescingKeyOf(raw(headers), resolved(body, method));

  it('ignores per-request headers and header order', () => {
    const same = key(base);
    expect(key({ ...base, 'X-Request-Id': 'r1', traceparent: '00-1-2-01', 'content-length': '17', 'accept-encoding': 'br', connection: 'keep-alive' })).toBe(same);
    expect(key({ 'interlink-zuora-entity': 'e1', authorization: 'Bearer k1', 'content-type': 'application/json' })).toBe(same);
  });

  it('differs for another caller, tenant, document, operation name, variables or method', () => {
    const same = key(base);
    expect(key({ ...base, authorization: 'Bearer k2' })).not.toBe(same);
    expect(key({ ...base, 'x-api-key': 'k1' })).not.toBe(same);
    expect(key({ ...base, 'interlink-zuora-entity': 'e2' })).not.toBe(same);
    expect(key(base, { query: '{ b }' })).not.toBe(same);
    expect(key(base, { query: 'query A { a } query B { b }', operationName: 'A' })).not.toBe(key(base, { query: 'query A { a } query B { b }', operationName: 'B' }));
    expect(key(base, { query: 'query Q($x: Int) { a(x: $x) }', variables: { x: 1 } })).not.toBe(key(base, { query: 'query Q($x: Int) { a(x: $x) }', variables: { x: 2 } }));
    expect(key(base, { query: '{ a }' }, 'GET')).not.toBe(same);
  });

  it('keeps a repeated header: two credentials are not one', () => {
    const once = coalescingKeyOf(['authorization', 'Bearer k1'], resolved({ query: '{ a }' }));
    const twice = coalescingKeyOf(['authorization', 'Bearer k1', 'Authorization', 'Bearer k2'], resolved({ query: '{ a }' }));
    expect(twice).not.toBe(once);
  });
});

describe('queryKindPlugin', () => {
  const kinds = new QueryKinds();
  let server: ApolloServer<{ id: string }>;
  beforeAll(async () => {
    server = new ApolloServer<{ id: string }>({
      typeDefs: 'type Query { a: Int, fails: Int } type Mutation { write: Int }',
      resolvers: { Query: { a: () => 1, fails: () => { throw new Error('no'); } }, Mutation: { write: () => 2 } },
      plugins: [queryKindPlugin({ kinds })],
    });
    await server.start();
  });
  afterAll(() => server.stop());
  const run = async (query: string, extensions?: Record<string, unknown>, operationName?: string) => {
    // The handler's HTTPGraphQLRequest: the object a clean answer is marked by.
    const http = { method: 'POST', headers: new HeaderMap(), search: '', body: {} };
    await server.executeOperation({ query, ...(extensions ? { extensions } : {}), ...(operationName ? { operationName } : {}), http }, { contextValue: { id: query } });
    return http;
  };

  it('marks the clean answer of a query, with its operation name', async () => {
    const request = await run('query A { a }', undefined, 'A');
    expect(kinds.cleanAnswerOf(request)).toEqual({ operationName: 'A' });
  });

  it('never marks a mutation clean, and bumps the write epoch when it resolves and when it answers', async () => {
    const before = kinds.epoch;
    const request = await run('mutation { write }');
    expect(kinds.epoch).toBe(before + 2);
    expect(kinds.cleanAnswerOf(request)).toBeUndefined();
  });

  it('does not mark an answer with errors clean', async () => {
    const request = await run('{ a fails }');
    expect(kinds.cleanAnswerOf(request)).toBeUndefined();
  });
});
