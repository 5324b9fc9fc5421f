/**
 * The gateway driven by the clients frontends and services use: Apollo Client (core, with its
 * persisted-query link), urql core and graphql-request. For each: a query, paging with cursors to
 * the end, a mutation replayed with the same `clientMutationId`, a partial result beside an
 * upstream error, and the gateway's 401 and 403 refusals, each surfaced the way the client's
 * users expect to read it.
 */
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError, gql, type ErrorLike } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { relayStylePagination } from '@apollo/client/utilities';
import { Client as UrqlClient, fetchExchange, type ClientOptions } from '@urql/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY, withGateway } from '../helpers/gateway.js';

const READ_ONLY = 'ilk_test_real_clients_read_only_0001';
const WRONG_KEY = 'ilk_wrong_key_000000000000000000';
const COUNT = 'query EntityCount { entities { totalCount nodes { name } } }';
const WRITE = 'mutation Delete { deleteExternalLink(input: { id: "x", clientMutationId: "real-clients-1" }) { clientMutationId } }';
/** Five entities in the small seed, so `first: 2` takes three pages. */
const ENTITY_PAGE = `query EntityPage($first: Int!, $after: String) {
  entities(first: $first, after: $after) { totalCount edges { cursor node { id entityId name } } pageInfo { hasNextPage endCursor } }
}`;
const PAGE_SIZE = 2;
const CREATE_LINK = `mutation CreateLink($input: CreateExternalLinkInput!) {
  createExternalLink(input: $input) { clientMutationId externalLink { id provider nativeId version external { system type id } } }
}`;
/** Zuora answers `entities`, m3ter and Rev.io answer `resolveExternalId`: m3ter failing leaves the rest. */
const PARTIAL = `query Partial($id: String!) {
  entities(first: 1) { totalCount }
  resolveExternalId(system: "Salesforce", id: $id) { provider }
}`;
/** A Salesforce account linked from an m3ter Account and from a Rev.io customer in the seed. */
const SHARED_EXTERNAL_ID = '0012D0000zJyOKcPK6';
const M3TER_DOWN = { rules: [{ kind: 'server-error' as const, status: 503 as const, match: { path: 'externalmappings' } }] };

interface EntityPage {
  totalCount: number;
  edges: { cursor: string; node: { id: string; entityId: string; name: string | null } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface CreateLink {
  createExternalLink: { clientMutationId: string; externalLink: { id: string; provider: string; nativeId: string; version: number; external: { system: string; type: string; id: string } } };
}

/** Follows `endCursor` until `hasNextPage` is false; every page as it arrived. */
async function pagesToEnd(fetchPage: (after: string | null) => Promise<EntityPage>): Promise<EntityPage[]> {
  const pages: EntityPage[] = [];
  let after: string | null = null;
  do {
    const page = await fetchPage(after);
    expect(page.edges.length).toBeLessThanOrEqual(PAGE_SIZE);
    pages.push(page);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return pages;
}

describe('real GraphQL clients', () => {
  const gw = withGateway({
    keys: { admin: { key: ADMIN_KEY, scopes: ['read', 'write'] }, reader: { key: READ_ONLY, scopes: ['read'] } },
  });
  const headers = (key: string) => ({ authorization: `Bearer ${key}` });
  afterEach(() => gw.sandbox.clearFaults());

  /** Every entity of the admin key's Zuora tenant exactly once, as many as `totalCount` says. */
  const expectEveryEntityOnce = (entityIds: string[], totalCount: number) => {
    const seeded = gw.sandbox.tenants.zuora[0]!.entityIds;
    expect(totalCount).toBe(seeded.length);
    expect(entityIds).toHaveLength(totalCount);
    expect(new Set(entityIds).size).toBe(entityIds.length);
    expect([...entityIds].sort()).toEqual([...seeded].sort());
  };

  /** Creates an m3ter link twice with one `clientMutationId`; the answers and the m3ter writes made. */
  const createTwice = async (send: (variables: Record<string, unknown>) => Promise<CreateLink>, clientMutationId: string, customer: number) => {
    const input = {
      provider: 'M3TER',
      internalType: 'Account',
      internalId: gw.sandbox.fixtures.facts.companies[0]!.customers[customer]!.m3terAccountId,
      externalSystem: 'Salesforce',
      externalTable: 'Opportunity',
      externalId: `006${clientMutationId.replace(/\W/g, '').toUpperCase()}`,
      clientMutationId,
    };
    const mark = gw.sandbox.ledger.mark;
    const first = await send({ input });
    const second = await send({ input });
    const writes = gw.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter', method: 'POST', path: 'externalmappings' }).length;
    expect(first.createExternalLink).toMatchObject({ clientMutationId, externalLink: { provider: 'M3TER', version: 1, external: { system: 'Salesforce', type: 'Opportunity', id: input.externalId } } });
    return { first, second, writes };
  };

  /** What a partial answer must hold: Zuora's field, Rev.io's half of the links, and m3ter's error at its path. */
  const expectPartial = (data: any, errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] | undefined) => {
    expect(data.entities.totalCount).toBe(gw.sandbox.tenants.zuora[0]!.entityIds.length);
    expect(data.resolveExternalId).toEqual([expect.objectContaining({ provider: 'REVIO' })]);
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path).toEqual(['resolveExternalId']);
    expect(errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'm3ter', retryable: true } });
  };

  describe('Apollo Client', () => {
    /**
     * An Apollo Client as a frontend builds one. `seen` collects what its ErrorLink gets: the
     * error and the HTTP status, which Apollo Client 4 leaves off `CombinedGraphQLErrors` and
     * keeps on the operation's context (`response`), where an ErrorLink reads it.
     */
    const client = (key: string, { persisted = false, cache = new InMemoryCache(), seen = [] as { error: ErrorLike; status: number | undefined }[] } = {}) => {
      const http = new HttpLink({ uri: `${gw.url}/graphql`, headers: headers(key) });
      const errors = new ErrorLink(({ error, operation }) => {
        seen.push({ error, status: (operation.getContext().response as Response | undefined)?.status });
      });
      const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
      return new ApolloClient({ link: ApolloLink.from([errors, ...(persisted ? [new PersistedQueryLink({ sha256 })] : []), http]), cache });
    };

    it('reads data', async () => {
      const result = await client(ADMIN_KEY).query<{ entities: { totalCount: number } }>({ query: gql(COUNT), fetchPolicy: 'no-cache' });
      expect(result.data?.entities.totalCount).toBeGreaterThan(0);
    });

    it('runs automatic persisted queries through PersistedQueryLink: the hash alone once registered', async () => {
      const apollo = client(ADMIN_KEY, { persisted: true });
      const first = await apollo.query({ query: gql(COUNT), fetchPolicy: 'no-cache' });
      const second = await apollo.query({ query: gql(COUNT), fetchPolicy: 'no-cache' });
      expect(second.data).toEqual(first.data);
      const lines = gw.logs().filter((line) => line.msg === 'graphql request' && line.operationName === 'EntityCount');
      expect(lines.length).toBeGreaterThanOrEqual(2);
    });

    it('pages entities to the end with fetchMore, merged in the cache by relayStylePagination', async () => {
      const cache = new InMemoryCache({ typePolicies: { Query: { fields: { entities: relayStylePagination(['status']) } } } });
      const apollo = client(ADMIN_KEY, { cache });
      const observable = apollo.watchQuery<{ entities: EntityPage }>({ query: gql(ENTITY_PAGE), variables: { first: PAGE_SIZE } });
      // What a component watching the query renders: each emission, the last one holding every page.
      const emitted: EntityPage[] = [];
      let initial!: () => void;
      const started = new Promise<void>((resolve) => (initial = resolve));
      const subscription = observable.subscribe((result) => {
        if (result.dataState !== 'complete') return;
        emitted.push(result.data.entities);
        initial();
      });
      try {
        await started;
        const pages = await pagesToEnd(async (after) => (after === null ? emitted[0]! : (await observable.fetchMore({ variables: { after } })).data!.entities));
        expect(pages.length).toBe(Math.ceil(pages[0]!.totalCount / PAGE_SIZE));
        const merged = apollo.readQuery<{ entities: EntityPage }>({ query: gql(ENTITY_PAGE), variables: { first: PAGE_SIZE } })!.entities;
        expect(merged.pageInfo.hasNextPage).toBe(false);
        expectEveryEntityOnce(merged.edges.map((edge) => edge.node.entityId), merged.totalCount);
        expect(merged.edges.map((edge) => edge.node.id)).toEqual(pages.flatMap((page) => page.edges.map((edge) => edge.node.id)));
        await vi.waitFor(() => expect(emitted.at(-1)).toEqual(merged));
      } finally {
        subscription.unsubscribe();
      }
    });

    it('replays a mutation with the same clientMutationId: the same answer, one m3ter write', async () => {
      const apollo = client(ADMIN_KEY);
      const send = async (variables: Record<string, unknown>) => (await apollo.mutate<CreateLink>({ mutation: gql(CREATE_LINK), variables })).data!;
      const { first, second, writes } = await createTwice(send, 'real-clients-apollo', 1);
      expect(second).toEqual(first);
      expect(writes).toBe(1);
    });

    it("gives the partial data and m3ter's error together with errorPolicy 'all'; the default policy rejects", async () => {
      gw.sandbox.setFaults('m3ter', M3TER_DOWN);
      const apollo = client(ADMIN_KEY);
      const variables = { id: SHARED_EXTERNAL_ID };
      const result = await apollo.query({ query: gql(PARTIAL), variables, fetchPolicy: 'no-cache', errorPolicy: 'all' });
      expect(CombinedGraphQLErrors.is(result.error)).toBe(true);
      const combined = result.error as CombinedGraphQLErrors;
      expectPartial(result.data, combined.errors);
      // Without errorPolicy 'all' (the default 'none'), the query rejects and the result carries no data;
      // the partial data stays reachable on the error.
      const rejected = await apollo.query({ query: gql(PARTIAL), variables, fetchPolicy: 'no-cache' }).catch((error: unknown) => error);
      expect(CombinedGraphQLErrors.is(rejected)).toBe(true);
      expectPartial((rejected as CombinedGraphQLErrors).data, (rejected as CombinedGraphQLErrors).errors);
    });

    it('surfaces a 401 and a 403 as CombinedGraphQLErrors with the code, the HTTP status on the link context', async () => {
      // The gateway answers refusals as application/graphql-response+json, so Apollo Client 4
      // reads the body's GraphQL errors whatever the status (a ServerError is for bodies it cannot read).
      const seen: { error: ErrorLike; status: number | undefined }[] = [];
      const unauthenticated = await client(WRONG_KEY, { seen }).query({ query: gql(COUNT), fetchPolicy: 'no-cache' }).catch((error: unknown) => error);
      expect(ServerError.is(unauthenticated)).toBe(false);
      expect(CombinedGraphQLErrors.is(unauthenticated)).toBe(true);
      expect((unauthenticated as CombinedGraphQLErrors).errors).toEqual([{ message: 'The API key is not valid', extensions: { code: 'UNAUTHENTICATED' } }]);
      expect((unauthenticated as CombinedGraphQLErrors).data).toBeUndefined();

      const forbidden = await client(READ_ONLY, { seen }).mutate({ mutation: gql(WRITE) }).catch((error: unknown) => error);
      expect(CombinedGraphQLErrors.is(forbidden)).toBe(true);
      expect((forbidden as CombinedGraphQLErrors).errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

      expect(seen.map(({ error, status }) => ({ combined: CombinedGraphQLErrors.is(error), status }))).toEqual([
        { combined: true, status: 401 },
        { combined: true, status: 403 },
      ]);
    });
  });

  describe('urql', () => {
    // urql sends queries as GET (`preferGetMethod: 'within-url-limit'`); CSRF prevention refuses a
    // GET that lacks a preflight header, which a browser form cannot add (README, Errors:
    // BAD_REQUEST). urql's users either add `apollo-require-preflight` in `fetchOptions.headers`
    // once (the default here), or send queries as POST with `preferGetMethod: false`, whose JSON
    // content-type is not a simple request.
    const client = (key: string, extra: Record<string, string> = { 'apollo-require-preflight': 'true' }, options: Partial<ClientOptions> = {}) =>
      new UrqlClient({ url: `${gw.url}/graphql`, exchanges: [fetchExchange], fetchOptions: { headers: { ...headers(key), ...extra } }, requestPolicy: 'network-only', ...options });

    it("refuses urql's GET without the preflight header with a clear BAD_REQUEST (CSRF prevention)", async () => {
      const result = await client(ADMIN_KEY, {}).query(COUNT, {}).toPromise();
      expect(result.data).toBeUndefined();
      expect(result.error?.response?.status).toBe(400);
      expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('BAD_REQUEST');
      expect(result.error?.graphQLErrors[0]?.message).toMatch(/CSRF/);
    });

    it('reads data over GET with the preflight header, or over POST with preferGetMethod: false', async () => {
      for (const urql of [client(ADMIN_KEY), client(ADMIN_KEY, {}, { preferGetMethod: false })]) {
        const result = await urql.query(COUNT, {}).toPromise();
        expect(result.error).toBeUndefined();
        expect(result.data.entities.totalCount).toBeGreaterThan(0);
      }
    });

    it('pages entities to the end following pageInfo.endCursor', async () => {
      const urql = client(ADMIN_KEY);
      const pages = await pagesToEnd(async (after) => {
        const result = await urql.query<{ entities: EntityPage }>(ENTITY_PAGE, { first: PAGE_SIZE, after }).toPromise();
        expect(result.error).toBeUndefined();
        return result.data!.entities;
      });
      expect(pages.length).toBe(Math.ceil(pages[0]!.totalCount / PAGE_SIZE));
      expectEveryEntityOnce(pages.flatMap((page) => page.edges.map((edge) => edge.node.entityId)), pages[0]!.totalCount);
    });

    it('replays a mutation with the same clientMutationId: the same answer, one m3ter write', async () => {
      const urql = client(ADMIN_KEY);
      const send = async (variables: Record<string, unknown>) => {
        const result = await urql.mutation<CreateLink>(CREATE_LINK, variables).toPromise();
        expect(result.error).toBeUndefined();
        return result.data!;
      };
      const { first, second, writes } = await createTwice(send, 'real-clients-urql', 4);
      expect(second).toEqual(first);
      expect(writes).toBe(1);
    });

    it("gives the partial data in result.data and m3ter's error in result.error.graphQLErrors", async () => {
      gw.sandbox.setFaults('m3ter', M3TER_DOWN);
      const result = await client(ADMIN_KEY).query(PARTIAL, { id: SHARED_EXTERNAL_ID }).toPromise();
      expect(result.error?.networkError).toBeUndefined();
      expect(result.error?.response?.status).toBe(200);
      expectPartial(result.data, result.error?.graphQLErrors);
      expect(result.error?.message).toMatch(/^\[GraphQL\] /);
    });

    it('puts 401 and 403 in result.error with the gateway code and the HTTP status', async () => {
      const unauthenticated = await client(WRONG_KEY).query(COUNT, {}).toPromise();
      expect(unauthenticated.data).toBeUndefined();
      expect(unauthenticated.error?.graphQLErrors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(unauthenticated.error?.response?.status).toBe(401);
      const forbidden = await client(READ_ONLY).mutation(WRITE, {}).toPromise();
      expect(forbidden.error?.graphQLErrors.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
      expect(forbidden.error?.response?.status).toBe(403);
    });
  });

  describe('graphql-request', () => {
    const client = (key: string, errorPolicy?: 'all') => new GraphQLClient(`${gw.url}/graphql`, { headers: headers(key), ...(errorPolicy ? { errorPolicy } : {}) });

    it('reads data', async () => {
      const data = await client(ADMIN_KEY).request<{ entities: { totalCount: number } }>(COUNT);
      expect(data.entities.totalCount).toBeGreaterThan(0);
    });

    it('pages entities to the end following pageInfo.endCursor', async () => {
      const graphql = client(ADMIN_KEY);
      const pages = await pagesToEnd(async (after) => (await graphql.request<{ entities: EntityPage }>(ENTITY_PAGE, { first: PAGE_SIZE, after })).entities);
      expect(pages.length).toBe(Math.ceil(pages[0]!.totalCount / PAGE_SIZE));
      expectEveryEntityOnce(pages.flatMap((page) => page.edges.map((edge) => edge.node.entityId)), pages[0]!.totalCount);
    });

    it('replays a mutation with the same clientMutationId: the same answer, one m3ter write', async () => {
      const graphql = client(ADMIN_KEY);
      const { first, second, writes } = await createTwice((variables) => graphql.request<CreateLink>(CREATE_LINK, variables), 'real-clients-graphql-request', 5);
      expect(second).toEqual(first);
      expect(writes).toBe(1);
    });

    it("throws a ClientError carrying the partial data and m3ter's error; rawRequest with errorPolicy 'all' returns both", async () => {
      gw.sandbox.setFaults('m3ter', M3TER_DOWN);
      const variables = { id: SHARED_EXTERNAL_ID };
      const thrown = await client(ADMIN_KEY).request(PARTIAL, variables).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(ClientError);
      const { response } = thrown as ClientError;
      expect(response.status).toBe(200);
      expectPartial(response.data, response.errors);
      const raw = await client(ADMIN_KEY, 'all').rawRequest<any>(PARTIAL, variables);
      expect(raw.status).toBe(200);
      expectPartial(raw.data, raw.errors);
    });

    it('throws a ClientError carrying the status and the code for 401 and 403', async () => {
      const unauthenticated = await client(WRONG_KEY).request(COUNT).catch((error: unknown) => error);
      expect(unauthenticated).toBeInstanceOf(ClientError);
      expect((unauthenticated as ClientError).response.status).toBe(401);
      expect((unauthenticated as ClientError).response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      const forbidden = await client(READ_ONLY).request(WRITE).catch((error: unknown) => error);
      expect(forbidden).toBeInstanceOf(ClientError);
      expect((forbidden as ClientError).response.status).toBe(403);
      expect((forbidden as ClientError).response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    });
  });
});
