import { ApolloServer, HeaderMap } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryKindPlugin } from '../../../src/plugins/query-kind-plugin.js';
import { coalescingKeyOf } from '../../../src/http/coalescing-key.js';
import { QueryCoalescing, type SharedAnswer } from '../../../src/http/query-coalescing.js';
import { documentKeyOf, QueryKinds } from '../../../src/http/query-kinds.js';

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
  it('knows a document as a query only once it was remembered, and forgets the least recently used', () => {
    const kinds = new QueryKinds(2);
    const [a, b, c] = ['{ a }', '{ b }', '{ c }'].map((query) => documentKeyOf(query, undefined, undefined)!);
    expect(kinds.isQuery(a!)).toBe(false);
    kinds.rememberQuery(a!);
    kinds.rememberQuery(b!);
    expect(kinds.isQuery(a!)).toBe(true); // a is now the most recently used
    kinds.rememberQuery(c!);
    expect([kinds.isQuery(a!), kinds.isQuery(b!), kinds.isQuery(c!)]).toEqual([true, false, true]);
  });

  it('keys a document by persisted id over text, and by operation name', () => {
    expect(documentKeyOf('{ a }', 'abc', undefined)).toBe(documentKeyOf(undefined, 'abc', undefined));
    expect(documentKeyOf('{ a }', undefined, 'A')).not.toBe(documentKeyOf('{ a }', undefined, undefined));
    expect(documentKeyOf('{ a }', undefined, undefined)).not.toBe(documentKeyOf(undefined, '{ a }', undefined));
    expect(documentKeyOf(undefined, undefined, 'A')).toBeUndefined();
  });

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
  const key = (headers: Record<string, string>, search = '', body = '{"query":"{ a }"}', method = 'POST') => coalescingKeyOf(method, raw(headers), search, body);

  it('ignores per-request headers and header order', () => {
    const same = key(base);
    expect(key({ ...base, 'X-Request-Id': 'r1', traceparent: '00-1-2-01', 'content-length': '17', 'accept-encoding': 'br', connection: 'keep-alive' })).toBe(same);
    expect(key({ 'interlink-zuora-entity': 'e1', authorization: 'Bearer k1', 'content-type': 'application/json' })).toBe(same);
  });

  it('differs for another caller, tenant, body, query string or method', () => {
    const same = key(base);
    expect(key({ ...base, authorization: 'Bearer k2' })).not.toBe(same);
    expect(key({ ...base, 'x-api-key': 'k1' })).not.toBe(same);
    expect(key({ ...base, 'interlink-zuora-entity': 'e2' })).not.toBe(same);
    expect(key(base, '', '{"query":"{ b }"}')).not.toBe(same);
    expect(key(base, '?x=1')).not.toBe(same);
    expect(key(base, '', '{"query":"{ a }"}', 'GET')).not.toBe(same);
  });

  it('keeps a repeated header: two credentials are not one', () => {
    const once = coalescingKeyOf('POST', ['authorization', 'Bearer k1'], '', '');
    const twice = coalescingKeyOf('POST', ['authorization', 'Bearer k1', 'Authorization', 'Bearer k2'], '', '');
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

  it('remembers a query document, by text and operation name, and marks its clean answer', async () => {
    const request = await run('query A { a }', undefined, 'A');
    expect(kinds.isQuery(documentKeyOf('query A { a }', undefined, 'A')!)).toBe(true);
    expect(kinds.isQuery(documentKeyOf('query A { a }', undefined, undefined)!)).toBe(false);
    expect(kinds.cleanAnswerOf(request)).toEqual({ operationName: 'A' });
  });

  it('keys a persisted query by its id', async () => {
    await run('{ a }', { persistedQuery: { version: 1, sha256Hash: 'fa8b0b1ee7b0e7d3c4bb0b04ba0e4e8d27b3c1b0df9ba6a1b5c2b0f4a1b8c7d6' } });
    // A made-up hash does not match the text: Apollo refuses it before any operation resolves.
    expect(kinds.isQuery(documentKeyOf(undefined, 'fa8b0b1ee7b0e7d3c4bb0b04ba0e4e8d27b3c1b0df9ba6a1b5c2b0f4a1b8c7d6', undefined)!)).toBe(false);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update('{ a }').digest('hex');
    await run('{ a }', { persistedQuery: { version: 1, sha256Hash: hash } });
    expect(kinds.isQuery(documentKeyOf(undefined, hash, undefined)!)).toBe(true);
  });

  it('never remembers a mutation, and bumps the write epoch when it resolves and when it answers', async () => {
    const before = kinds.epoch;
    const request = await run('mutation { write }');
    expect(kinds.epoch).toBe(before + 2);
    expect(kinds.isQuery(documentKeyOf('mutation { write }', undefined, undefined)!)).toBe(false);
    expect(kinds.cleanAnswerOf(request)).toBeUndefined();
  });

  it('does not mark an answer with errors clean', async () => {
    const request = await run('{ a fails }');
    expect(kinds.isQuery(documentKeyOf('{ a fails }', undefined, undefined)!)).toBe(true);
    expect(kinds.cleanAnswerOf(request)).toBeUndefined();
  });
});
