/**
 * The gateway driven by the clients frontends and services use: Apollo Client (core, with its
 * persisted-query link), urql core and graphql-request. Each must surface data, and the
 * gateway's 401 and 403 refusals with their codes, the way its users expect.
 */
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, withGateway } from '../helpers/gateway.js';

const READ_ONLY = 'ilk_test_real_clients_read_only_0001';
const COUNT = 'query EntityCount { entities { totalCount nodes { name } } }';
const WRITE = 'mutation Delete { deleteExternalLink(input: { id: "x", clientMutationId: "real-clients-1" }) { clientMutationId } }';

describe('real GraphQL clients', () => {
  const gw = withGateway({
    keys: { admin: { key: ADMIN_KEY, scopes: ['read', 'write'] }, reader: { key: READ_ONLY, scopes: ['read'] } },
  });
  const headers = (key: string) => ({ authorization: `Bearer ${key}` });

  describe('Apollo Client', () => {
    const client = (key: string, persisted = false) => {
      const http = new HttpLink({ uri: `${gw.url}/graphql`, headers: headers(key) });
      const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
      return new ApolloClient({ link: persisted ? ApolloLink.from([new PersistedQueryLink({ sha256 }), http]) : http, cache: new InMemoryCache() });
    };

    it('reads data', async () => {
      const result = await client(ADMIN_KEY).query<{ entities: { totalCount: number } }>({ query: gql(COUNT), fetchPolicy: 'no-cache' });
      expect(result.data?.entities.totalCount).toBeGreaterThan(0);
    });

    it('runs automatic persisted queries through PersistedQueryLink: the hash alone once registered', async () => {
      const apollo = client(ADMIN_KEY, true);
      const first = await apollo.query({ query: gql(COUNT), fetchPolicy: 'no-cache' });
      const second = await apollo.query({ query: gql(COUNT), fetchPolicy: 'no-cache' });
      expect(second.data).toEqual(first.data);
      const lines = gw.logs().filter((line) => line.msg === 'graphql request' && line.operationName === 'EntityCount');
      expect(lines.length).toBeGreaterThanOrEqual(2);
    });

    it('surfaces a 401 as a ServerError with the status, and a 403 as GraphQL errors with the code', async () => {
      const unauthenticated = await client('ilk_wrong_key_000000000000000000').query({ query: gql(COUNT), fetchPolicy: 'no-cache' }).catch((error: unknown) => error);
      expect(ServerError.is(unauthenticated) || CombinedGraphQLErrors.is(unauthenticated)).toBe(true);
      if (ServerError.is(unauthenticated)) expect(unauthenticated.statusCode).toBe(401);
      const forbidden = await client(READ_ONLY).mutate({ mutation: gql(WRITE) }).catch((error: unknown) => error);
      const codes = CombinedGraphQLErrors.is(forbidden) ? forbidden.errors.map((e) => e.extensions?.code) : ServerError.is(forbidden) ? [forbidden.statusCode] : [];
      expect(codes.some((code) => code === 'FORBIDDEN' || code === 403)).toBe(true);
    });
  });

  describe('urql', () => {
    // urql sends queries as GET; CSRF prevention asks such a request for a preflight header, which
    // a browser form cannot add (README, Errors: BAD_REQUEST). urql's users add it once here.
    const client = (key: string, extra: Record<string, string> = { 'apollo-require-preflight': 'true' }) =>
      new UrqlClient({ url: `${gw.url}/graphql`, exchanges: [fetchExchange], fetchOptions: { headers: { ...headers(key), ...extra } }, requestPolicy: 'network-only' });

    it("refuses urql's GET without the preflight header with a clear BAD_REQUEST (CSRF prevention)", async () => {
      const result = await client(ADMIN_KEY, {}).query(COUNT, {}).toPromise();
      expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('BAD_REQUEST');
      expect(result.error?.graphQLErrors[0]?.message).toMatch(/CSRF/);
    });

    it('reads data', async () => {
      const result = await client(ADMIN_KEY).query(COUNT, {}).toPromise();
      expect(result.error).toBeUndefined();
      expect(result.data.entities.totalCount).toBeGreaterThan(0);
    });

    it('puts 401 and 403 in result.error with the gateway code', async () => {
      const unauthenticated = await client('ilk_wrong_key_000000000000000000').query(COUNT, {}).toPromise();
      expect(unauthenticated.error?.graphQLErrors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(unauthenticated.error?.response?.status).toBe(401);
      const forbidden = await client(READ_ONLY).mutation(WRITE, {}).toPromise();
      expect(forbidden.error?.graphQLErrors[0]?.extensions.code).toBe('FORBIDDEN');
    });
  });

  describe('graphql-request', () => {
    const client = (key: string) => new GraphQLClient(`${gw.url}/graphql`, { headers: headers(key) });

    it('reads data', async () => {
      const data = await client(ADMIN_KEY).request<{ entities: { totalCount: number } }>(COUNT);
      expect(data.entities.totalCount).toBeGreaterThan(0);
    });

    it('throws a ClientError carrying the status and the code for 401 and 403', async () => {
      const unauthenticated = await client('ilk_wrong_key_000000000000000000').request(COUNT).catch((error: unknown) => error);
      expect(unauthenticated).toBeInstanceOf(ClientError);
      expect((unauthenticated as ClientError).response.status).toBe(401);
      expect((unauthenticated as ClientError).response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const forbidden = await client(READ_ONLY).request(WRITE).catch((error: unknown) => error);
      expect((forbidden as ClientError).response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
