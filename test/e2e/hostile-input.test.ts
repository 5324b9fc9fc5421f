import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vendor } from '../../sandbox/index.js';
import { withGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest, type RawAnswer, type RawRequest } from '../helpers/raw-request.js';

/**
 * The hostile-input corpus: one table of what an attacker, a broken client or a
 * broken vendor sends, each row with the HTTP status and `extensions.code` it gets, whether it
 * may reach a vendor, and, after every row, a gateway that still answers `/healthz` and a real
 * query. The gateway runs as the process runs it (`createGateway`: real API keys and plugins),
 * with introspection off, as in production.
 */
const ADMIN = 'ilk_test_admin_hostile_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const READER = 'ilk_test_reader_hostile_1a2b3c4d5e6f708192a3b4c5d6e7f809';
const ACME = 'ilk_test_acme_hostile_9f8e7d6c5b4a3928170f6e5d4c3b2a19';

const HEALTHY = 'query Healthy { entities(first: 1) { nodes { name } } }';
const LINKS_BY_EXTERNAL_ID = 'query Find($e: String) { externalLinks(filter: { externalId: $e }, first: 5) { nodes { id } } }';

interface Case {
  name: string;
  request: RawRequest | (() => RawRequest);
  status: number;
  /** `extensions.code` of the first error; null: no errors. */
  code: string | null;
  /** Whether the request may reach a vendor (token calls aside). Default: it may not. */
  vendorCalls?: 'some' | 'any';
  /** Faults to set for this row only. */
  faults?: Partial<Record<Vendor, Parameters<TestGateway['sandbox']['setFaults']>[1]>>;
  check?: (answer: RawAnswer, gw: TestGateway) => void;
}

/** A JSON POST to /graphql with the admin key unless headers say otherwise. */
const post = (body: unknown, headers: Record<string, string | string[]> = { authorization: `Bearer ${ADMIN}` }): RawRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const query = (text: string, variables?: Record<string, unknown>, headers?: Record<string, string | string[]>): RawRequest => post({ query: text, ...(variables ? { variables } : {}) }, headers);
const asReader = { authorization: `Bearer ${READER}` };

const nested = (depth: number): string => `query Deep { entity(id: "x") { ${'parent { '.repeat(depth)}name${' }'.repeat(depth)} } }`;
const noSuggestion = (answer: RawAnswer) => expect(JSON.stringify(answer.body)).not.toMatch(/Did you mean/);
const noVendorDetail = (answer: RawAnswer) => expect(answer.text).not.toMatch(/nginx|<html|\bat \/|index\.js|Traceback|127\.0\.0\.1/i);

let tenants: { acmeEntity: string; globexEntity: string; acmeOrg: string };

const CASES: Case[] = [
  // --- bodies that are not a GraphQL request
  { name: 'malformed JSON', request: post('{"query": "{ __typename }"'), status: 400, code: 'BAD_REQUEST' },
  { name: 'empty body', request: post(''), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty object', request: post({}), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty query', request: post({ query: '' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'query as a number', request: post({ query: 42 }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON-array batch', request: post([{ query: '{ __typename }' }, { query: '{ __typename }' }]), status: 400, code: 'BAD_REQUEST' },
  { name: 'variables as a string', request: post({ query: LINKS_BY_EXTERNAL_ID, variables: '{"e":"x"}' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'operationName as a number', request: post({ query: HEALTHY, operationName: 7 }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a 5 MB body', request: post({ query: HEALTHY, variables: { pad: 'x'.repeat(5 * 1024 * 1024) } }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'a 5 MB body sent chunked, without content-length', request: { ...post({ query: HEALTHY, variables: { pad: 'x'.repeat(5 * 1024 * 1024) } }), chunked: true }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  {
    // Refused by the body's nesting cap before it is parsed (src/http/parse-json-bounded.ts).
    name: 'variables nested 200,000 lists deep',
    request: post(`{"query":${JSON.stringify(LINKS_BY_EXTERNAL_ID)},"variables":{"e":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`),
    status: 400,
    code: 'BAD_REQUEST',
  },

  // --- documents that do not parse, validate or resolve
  { name: 'a syntax error', request: query('{ entities(first: 1) { nodes { name } }'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'an unknown field, with no suggestion while introspection is off', request: query('{ entitie { id } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', check: noSuggestion },
  { name: 'an unknown argument, with no suggestion', request: query('{ entities(frist: 1) { totalCount } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', check: noSuggestion },
  { name: 'a subscription (the schema has none)', request: query('subscription { entities { totalCount } }'), status: 200, code: 'BAD_REQUEST' },
  { name: 'circular fragments', request: query('query Loop { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'introspection (__schema) while it is off', request: query('{ __schema { types { name } } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'introspection (__type) while it is off', request: query('{ __type(name: "Entity") { fields { name } } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'several operations without operationName',
    request: query('query A { __typename } query B { __typename }'),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  { name: 'an unknown operationName', request: post({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  {
    name: 'a read-only key, two mutations without operationName',
    request: query('mutation A { deleteExternalLink(input: { id: "x" }) { deletedId } } mutation B { deleteExternalLink(input: { id: "y" }) { deletedId } }', undefined, asReader),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a read-only key, two mutations, one named',
    request: post({ query: 'mutation A { deleteExternalLink(input: { id: "x" }) { deletedId } } mutation B { deleteExternalLink(input: { id: "y" }) { deletedId } }', operationName: 'B' }, asReader),
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'a 10,000-character operation name',
    request: { ...query(`query ${'O'.repeat(10_000)} { __typename }`), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-request-id': 'long-name-1' } },
    status: 200,
    code: null,
    // The request log line keeps a bounded name (the metric label is cut to 64 already).
    check: (_answer, gw) => expect(gw.logs().find((line) => line.requestId === 'long-name-1')?.operationName).toHaveLength(129),
  },

  // --- limits (src/limits/), asserted as they are
  {
    name: 'depth 50',
    request: query(nested(50)),
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
    check: (answer) => expect(answer.body.errors[0].extensions).toMatchObject({ limit: 'maxDepth', max: 12 }),
  },
  {
    name: '1,000 aliases',
    request: query(`{ entities(first: 1) { nodes { ${Array.from({ length: 1_000 }, (_, i) => `a${i}: name`).join(' ')} } } }`),
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
    check: (answer) => expect(answer.body.errors[0].extensions).toMatchObject({ limit: 'maxAliases', max: 100, measured: 1_000 }),
  },
  {
    // graphql-armor does not count aliases of __typename; the root-field limit still holds.
    name: '1,000 aliases at the root',
    request: query(`{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`),
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
    check: (answer) => expect(answer.body.errors[0].extensions).toMatchObject({ limit: 'maxRootFields', max: 100, measured: 1_000 }),
  },
  {
    name: '1,000 aliases of a vendor-calling field',
    request: query(`{ ${Array.from({ length: 1_000 }, (_, i) => `c${i}: connections(entityId: "x", first: 1) { nodes { id } }`).join(' ')} }`),
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
  },
  {
    name: '10,000 × __typename',
    request: query(`{ ${'__typename '.repeat(10_000)}}`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    // graphql-js 16 gives up on this many overlapping fields itself, before the limits measure them.
    check: (answer) => expect(answer.body.errors[0].message).toBe('Validation aborted.'),
  },
  { name: '25,000 tokens (over the parser cap)', request: query(`{ ${'__typename '.repeat(25_000)}}`), status: 400, code: 'QUERY_LIMIT_EXCEEDED' },
  {
    name: '500 @include directives',
    request: query(`{ entities(first: 1) { nodes { ${'name @include(if: true) '.repeat(500)}} } }`),
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
    check: (answer) => expect(answer.body.errors[0].extensions).toMatchObject({ limit: 'maxDirectives', max: 50, measured: 500 }),
  },

  // --- transport: methods, content types, CSRF
  { name: 'a mutation over GET', request: { method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { deleteExternalLink(input: { id: "x" }) { deletedId } }')}`, headers: { authorization: `Bearer ${ADMIN}`, 'apollo-require-preflight': 'true' } }, status: 405, code: 'BAD_REQUEST' },
  { name: 'PUT', request: { ...query(HEALTHY), method: 'PUT' }, status: 405, code: 'BAD_REQUEST' },
  { name: 'DELETE', request: { ...query(HEALTHY), method: 'DELETE' }, status: 405, code: 'BAD_REQUEST' },
  { name: 'a text/plain POST (CSRF)', request: { ...query(HEALTHY), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/plain' } }, status: 400, code: 'BAD_REQUEST' },
  { name: 'a GET without a preflight header (CSRF)', request: { method: 'GET', path: `/graphql?query=${encodeURIComponent(HEALTHY)}`, headers: { authorization: `Bearer ${ADMIN}` } }, status: 400, code: 'BAD_REQUEST' },
  { name: 'content-type: invalid', request: { ...query(HEALTHY), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'invalid' } }, status: 400, code: 'BAD_REQUEST' },
  { name: 'content-type: application/xml', request: { ...post(`<query>${HEALTHY}</query>`), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/xml' } }, status: 400, code: 'BAD_REQUEST' },
  {
    name: 'x-request-id with quotes and JSON (log injection)',
    request: { ...query(HEALTHY), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-request-id': 'a","level":60,"msg":"forged' } },
    status: 200,
    code: null,
    vendorCalls: 'some',
    check: (answer) => expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/),
  },
  {
    name: 'CR/LF inside a header (request splitting)',
    request: { ...query(HEALTHY), rawHeaderLines: ['x-request-id: a\rX-Injected: 1'] },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    // Found by the fuzz harness (seed 23, path 257): Node answered a bare 431 with no body.
    name: 'a GET whose URL is over the 16 KB header limit',
    request: { method: 'GET', path: `/graphql?query=${encodeURIComponent(HEALTHY)}&variables=${encodeURIComponent(JSON.stringify({ pad: '['.repeat(20_000) }))}`, headers: { authorization: `Bearer ${ADMIN}`, 'apollo-require-preflight': 'true' } },
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  },
  {
    // Found by the fuzz harness (seed 7, path 160; seed 23, path 20): the lone mutation ran.
    name: 'a read-only key, a lone mutation, operationName naming it in another case',
    request: post({ query: 'mutation M0 { deleteExternalLink(input: { id: "x" }) { deletedId } }', operationName: 'm0' }, asReader),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    // Found by the fuzz harness (seed 23, path 24): it called a vendor, then answered 500.
    name: 'a query with an operationName naming no operation',
    request: post({ query: HEALTHY, operationName: 'NoSuchOperation' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    // Found by the fuzz harness (seed 23, path 23): the URL's query ran.
    name: 'a GET with a body',
    request: { method: 'GET', path: `/graphql?query=${encodeURIComponent(HEALTHY)}`, headers: { authorization: `Bearer ${ADMIN}`, 'apollo-require-preflight': 'true', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    // Found by the fuzz harness (seed 23, path 5): the body's operation ran.
    name: 'an operation in both the URL and the body',
    request: { ...post({ query: HEALTHY }), path: `/graphql?query=${encodeURIComponent(HEALTHY)}` },
    status: 400,
    code: 'BAD_REQUEST',
  },

  // --- variables and arguments
  { name: 'a wrong variable type', request: query('query($f: Int) { entities(first: $f) { totalCount } }', { f: 'ten' }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an enum value near a real one, with no suggestion', request: query('query($p: Provider) { externalLinks(filter: { provider: $p }) { nodes { id } } }', { p: 'M3TR' }), status: 400, code: 'BAD_USER_INPUT', check: noSuggestion },
  { name: 'an input field near a real one, with no suggestion', request: query('query($f: ExternalLinkFilter) { externalLinks(filter: $f) { nodes { id } } }', { f: { externalIdd: 'x' } }), status: 400, code: 'BAD_USER_INPUT', check: noSuggestion },
  {
    name: '__proto__ and constructor keys in variables',
    request: () => post(`{"query":${JSON.stringify('query($f: ExternalLinkFilter) { externalLinks(filter: $f) { nodes { id } } }')},"variables":{"__proto__":{"polluted":true},"f":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}}`),
    status: 400,
    code: 'BAD_USER_INPUT',
    check: () => expect(({} as { polluted?: unknown }).polluted).toBeUndefined(),
  },
  { name: 'first: 99999999', request: query('{ entities(first: 99999999) { totalCount } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'first: 99999999 under a list', request: query('{ entities(first: 500) { nodes { connections(first: 99999999) { nodes { id } } } } }'), status: 200, code: 'BAD_USER_INPUT', vendorCalls: 'any' },
  { name: 'first: 1e300 (a float literal)', request: query('{ entities(first: 1e300) { totalCount } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'first: 1e300 (a float variable)', request: query('query($f: Int) { entities(first: $f) { totalCount } }', { f: 1e300 }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'first: 2.5', request: query('query($f: Int) { entities(first: $f) { totalCount } }', { f: 2.5 }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'first: -1', request: query('{ entities(first: -1) { totalCount } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'an id with ../', request: query('{ entity(id: "../../v1/entities") { name } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'an id with %2e%2e', request: query('{ externalLink(id: "%2e%2e%2f%2e%2e%2fv1") { id } }'), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'an id with CR/LF', request: query('query($id: ID!) { entity(id: $id) { name } }', { id: 'a\r\nX-Injected: 1' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'an id with NUL', request: query('query($id: ID!) { entity(id: $id) { name } }', { id: 'a\u0000b' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a 10 KB id', request: query('query($id: ID!) { entity(id: $id) { name } }', { id: 'a'.repeat(10_240) }), status: 400, code: 'BAD_USER_INPUT', check: names('$id') },
  { name: 'a filter with ../ and %2e%2e', request: query(LINKS_BY_EXTERNAL_ID, { e: '../%2e%2e/../admin' }), status: 200, code: null, vendorCalls: 'some', check: onlyVendorPaths },
  { name: 'a filter with CR/LF', request: query(LINKS_BY_EXTERNAL_ID, { e: 'a\r\nX-Injected: 1' }), status: 200, code: null, vendorCalls: 'some', check: onlyVendorPaths },
  { name: 'a filter with NUL', request: query(LINKS_BY_EXTERNAL_ID, { e: 'a\u0000b' }), status: 200, code: null, vendorCalls: 'some', check: onlyVendorPaths },
  { name: 'a filter of Unicode look-alikes', request: query('query($s: String!, $id: String!) { resolveExternalId(system: $s, id: $id) { id } }', { s: 'Ѕаlеsfоrcе', id: '0012D0000zJyOKcPK6' }), status: 200, code: null, vendorCalls: 'any', check: (answer) => expect(answer.body.data.resolveExternalId).toEqual([]) },
  { name: 'a 10 KB filter string', request: query(LINKS_BY_EXTERNAL_ID, { e: 'x'.repeat(10_240) }), status: 400, code: 'BAD_USER_INPUT', check: names('$e') },
  { name: 'a 100 KB filter string', request: query(LINKS_BY_EXTERNAL_ID, { e: 'x'.repeat(102_400) }), status: 400, code: 'BAD_USER_INPUT', check: names('$e') },
  {
    name: 'a 100 KB filter string as a literal',
    request: query(`{ externalLinks(filter: { externalId: "${'x'.repeat(102_400)}" }) { nodes { id } } }`),
    status: 400,
    code: 'BAD_USER_INPUT',
    check: names('externalLinks.filter.externalId'),
  },
  { name: 'a filter string just under the cap, in 3-byte characters', request: query(LINKS_BY_EXTERNAL_ID, { e: '€'.repeat(682) }), status: 200, code: null, vendorCalls: 'some', check: onlyVendorPaths },
  {
    name: 'every filter string just under the cap, in 3-byte characters',
    request: query('query($f: ExternalLinkFilter) { externalLinks(filter: $f, first: 1) { nodes { id } } }', {
      f: { externalSystem: '€'.repeat(682), externalTable: '€'.repeat(682), externalId: '€'.repeat(682), internalType: '€'.repeat(682), internalId: '€'.repeat(682) },
    }),
    status: 200,
    code: null,
    vendorCalls: 'any',
  },
  {
    name: 'a 100 KB string in a mutation input',
    request: query('mutation($i: CreateExternalLinkInput!) { createExternalLink(input: $i) { clientMutationId } }', {
      i: { provider: 'REVIO', internalType: 'CUSTOMER', internalId: '2001', externalSystem: 'salesforce', externalId: 'y'.repeat(102_400) },
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
    check: names('$i.externalId'),
  },

  // --- callers and tenants
  { name: 'no API key', request: query(HEALTHY, undefined, {}), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an unknown API key', request: query(HEALTHY, undefined, { authorization: 'Bearer ilk_not_a_key' }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a malformed Authorization header', request: query(HEALTHY, undefined, { authorization: `Basic ${ADMIN}` }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an empty Bearer', request: query(HEALTHY, undefined, { authorization: 'Bearer ' }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a 10 KB API key', request: query(HEALTHY, undefined, { 'x-api-key': 'k'.repeat(10_240) }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'two Authorization headers that disagree (good key first)', request: query(HEALTHY, undefined, { authorization: [`Bearer ${ADMIN}`, `Bearer ${READER}`] }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'two Authorization headers that disagree (bad key first)', request: query(HEALTHY, undefined, { authorization: ['Bearer ilk_not_a_key', `Bearer ${ADMIN}`] }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'two X-Api-Key headers that disagree', request: query(HEALTHY, undefined, { 'x-api-key': [ADMIN, READER] }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'Authorization and X-Api-Key that disagree', request: query(HEALTHY, undefined, { authorization: `Bearer ${ADMIN}`, 'x-api-key': READER }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'the same Authorization header twice', request: query(HEALTHY, undefined, { authorization: [`Bearer ${ADMIN}`, `Bearer ${ADMIN}`] }), status: 200, code: null, vendorCalls: 'some' },
  { name: 'a tenant header outside the grant', request: () => query(HEALTHY, undefined, { authorization: `Bearer ${ACME}`, 'interlink-zuora-entity': tenants.globexEntity }), status: 403, code: 'FORBIDDEN' },
  { name: "another tenant's entity id", request: () => query('query($id: ID!) { entity(id: $id) { name } }', { id: tenants.globexEntity }, { authorization: `Bearer ${ACME}` }), status: 200, code: 'FORBIDDEN' },
  { name: "another tenant's entity in connections(entityId:)", request: () => query('query($id: ID!) { connections(entityId: $id) { nodes { id } } }', { id: tenants.globexEntity }, { authorization: `Bearer ${ACME}` }), status: 200, code: 'FORBIDDEN' },

  // --- vendors answering what a vendor should not
  {
    name: 'Zuora answering an HTML 502 page',
    faults: { zuora: { rules: [{ kind: 'foreign-answer', match: { path: '^/v1/entities' }, answer: { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><center>nginx/1.25.3</center></body></html>' } }] } },
    request: query(HEALTHY),
    status: 200,
    code: 'UPSTREAM_UNAVAILABLE',
    vendorCalls: 'some',
    check: noVendorDetail,
  },
  {
    name: 'm3ter answering a stack trace',
    faults: { m3ter: { rules: [{ kind: 'foreign-answer', match: { path: '/externalmappings' }, answer: { status: 500, contentType: 'text/plain', body: 'TypeError: Cannot read properties of undefined\n    at /srv/app/index.js:10:5\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)' } }] } },
    request: query('{ externalLinks(filter: { provider: M3TER }, first: 2) { nodes { id } } }'),
    status: 200,
    code: 'UPSTREAM_UNAVAILABLE',
    vendorCalls: 'some',
    check: noVendorDetail,
  },
  {
    name: 'Zuora answering 200 with a body of the wrong shape',
    faults: { zuora: { rules: [{ kind: 'foreign-answer', match: { path: '^/v1/entities$' }, answer: { status: 200, body: { success: true, data: [{ id: 'x' }] } } }] } },
    request: query('{ entities(first: 2) { totalCount nodes { name } } }'),
    status: 200,
    code: 'INTERNAL_SERVER_ERROR',
    vendorCalls: 'some',
    check: (answer) => expect(answer.body.data?.entities ?? null).toBeNull(),
  },
  {
    name: 'Zuora connections answering 200 with a body of the wrong shape',
    faults: { zuora: { rules: [{ kind: 'foreign-answer', match: { path: '^/v1/entity-connections' }, answer: { status: 200, body: { success: true, connections: [] } } }] } },
    request: () => query('query($id: ID!) { connections(entityId: $id) { nodes { id } } }', { id: tenants.acmeEntity }),
    status: 200,
    code: 'INTERNAL_SERVER_ERROR',
    vendorCalls: 'some',
  },
  {
    name: 'Zuora answering 200 with an HTML page',
    faults: { zuora: { rules: [{ kind: 'foreign-answer', match: { path: '^/v1/entities$' }, answer: { status: 200, body: '<html><body>Please log in</body></html>' } }] } },
    request: query(HEALTHY),
    status: 200,
    code: 'INTERNAL_SERVER_ERROR',
    vendorCalls: 'some',
    check: noVendorDetail,
  },
  {
    name: 'm3ter answering 200 with a body of the wrong shape',
    faults: { m3ter: { rules: [{ kind: 'foreign-answer', match: { path: '/externalmappings' }, answer: { status: 200, body: { items: [], total: 0 } } }] } },
    request: query('{ externalLinks(filter: { provider: M3TER }, first: 2) { nodes { id } } }'),
    status: 200,
    code: 'INTERNAL_SERVER_ERROR',
    vendorCalls: 'some',
    check: (answer) => expect(answer.body.data?.externalLinks ?? null).toBeNull(),
  },
  {
    name: 'Rev.io answering 200 with a body of the wrong shape',
    faults: { revio: { rules: [{ kind: 'foreign-answer', match: { path: '/IntegrationKeyLink' }, answer: { status: 200, body: { ok: true, items: [] } } }] } },
    request: query('{ externalLinks(filter: { provider: REVIO }, first: 2) { nodes { id } } }'),
    status: 200,
    code: 'INTERNAL_SERVER_ERROR',
    vendorCalls: 'some',
  },
];

/** The error message names where the long string was. */
function names(where: string) {
  return (answer: RawAnswer) => {
    expect(answer.body.errors[0].message).toContain(where);
    expect(answer.text.length).toBeLessThan(2_000);
  };
}

/** Every vendor call of the row went to a known collection path: no traversal reached a vendor. */
function onlyVendorPaths(_answer: RawAnswer, gw: TestGateway) {
  const paths = gw.sandbox.ledger.list({ sinceSeq: rowMark }).map((entry) => entry.path);
  for (const path of paths) expect(path).toMatch(/^\/(oauth\/token|organizations\/[0-9a-f-]{36}\/externalmappings(\/\w+)?|v1\/(IntegrationKeyLink|IntegrationSystem|IntegrationEntityType))$/i);
}

let rowMark = 0;

describe('hostile input: the corpus', () => {
  const gw = withGateway({
      keys: (sandbox) => ({
        admin: { key: ADMIN, scopes: ['read', 'write'] },
        reader: { key: READER, scopes: ['read'] },
        // The first company only, at every vendor.
        acme: {
          key: ACME,
          scopes: ['read', 'write'],
          tenants: { zuora: [...sandbox.tenants.zuora[0]!.entityIds], m3ter: [sandbox.tenants.m3ter[0]!.orgId], revio: [sandbox.tenants.revio[0]!.clientCode] },
        },
      }),
      env: { INTERLINK_INTROSPECTION: 'false', INTERLINK_UPSTREAM_BACKOFF_BASE_MS: '10', INTERLINK_UPSTREAM_BACKOFF_LIMIT_MS: '20' },
    });
  const observed: string[] = [];

  beforeAll(async () => {
    const companies = gw.sandbox.fixtures.facts.companies;
    tenants = { acmeEntity: companies[0]!.zuora.rootEntityId, globexEntity: companies[1]!.zuora.rootEntityId, acmeOrg: companies[0]!.m3ter.orgId };
  }, 60_000);

  afterAll(async () => {
    if (process.env.HOSTILE_TABLE) console.log(['| case | expected | observed | vendor calls |', '| --- | --- | --- | --- |', ...observed].join('\n'));
    await gw?.close();
  });

  it.each(CASES.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    for (const [vendor, faults] of Object.entries(row.faults ?? {})) gw.sandbox.setFaults(vendor as Vendor, faults);
    rowMark = gw.sandbox.ledger.mark;
    let answer: RawAnswer;
    try {
      answer = await rawRequest(gw.url, typeof row.request === 'function' ? row.request() : row.request);
    } finally {
      gw.sandbox.clearFaults();
    }
    const calls = gw.calls(rowMark);
    const code = answer.body?.errors?.[0]?.extensions?.code ?? null;
    observed.push(`| ${row.name} | ${row.status} ${row.code ?? '-'} | ${answer.status} ${code ?? '-'} | ${calls} |`);

    expect({ status: answer.status, code }).toEqual({ status: row.status, code: row.code });
    if (row.vendorCalls === undefined) expect(calls).toBe(0);
    if (row.vendorCalls === 'some') expect(calls).toBeGreaterThan(0);
    // Whatever went wrong, nothing of the key, a stack or a vendor host goes back.
    expect(answer.text).not.toContain(ADMIN);
    expect(answer.text).not.toMatch(/\n\s+at |127\.0\.0\.1:\d+/);
    row.check?.(answer, gw);

    // And the gateway is still well: liveness, and a query that reaches a vendor.
    const health = await rawRequest(gw.url, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
    const normal = await gw.post(HEALTHY, { key: ADMIN });
    expect(normal.status).toBe(200);
    expect(normal.body.errors).toBeUndefined();
    expect(normal.body.data.entities.nodes).toHaveLength(1);
  });
});

describe('hostile input: what the fixes guarantee', () => {
  const gw = withGateway({
      keys: { admin: { key: ADMIN, scopes: ['read', 'write'] }, reader: { key: READER, scopes: ['read'] } },
      env: { INTERLINK_INTROSPECTION: 'false' },
    });

  beforeAll(async () => {
  }, 60_000);

  const linesOf = (requestId: string) => gw.logs().filter((line) => line.requestId === requestId);
  const metric = async (): Promise<string> => (await rawRequest(gw.url, { method: 'GET', path: '/metrics' })).text;
  const errorRequests = (text: string): number =>
    text
      .split('\n')
      .filter((line) => line.startsWith('interlink_graphql_requests_total{') && line.includes('outcome="error"'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);

  it('answers several operations without operationName with 400, one request log line and a metric, and no vendor call', async () => {
    const before = errorRequests(await metric());
    const mark = gw.sandbox.ledger.mark;
    const answer = await rawRequest(gw.url, { ...query('mutation A { deleteExternalLink(input: { id: "x" }) { deletedId } } mutation B { deleteExternalLink(input: { id: "y" }) { deletedId } }'), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-request-id': 'two-mutations-1' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(gw.calls(mark)).toBe(0);
    // Refused before Apollo (src/http/resolve-operation.ts): logged as a refusal.
    expect(linesOf('two-mutations-1')).toEqual([expect.objectContaining({ msg: 'graphql request refused', status: 400, errorCodes: ['OPERATION_RESOLUTION_FAILURE'] })]);
    expect(errorRequests(await metric())).toBe(before + 1);
  });

  it('strips "Did you mean" from validation and variable errors while introspection is off', async () => {
    const field = await gw.post('{ entitie { id } }', { key: ADMIN });
    const value = await gw.post('query($p: Provider) { externalLinks(filter: { provider: $p }) { nodes { id } } }', { key: ADMIN, variables: { p: 'M3TR' } });
    expect(field.body.errors[0].message).toBe('Cannot query field "entitie" on type "Query".');
    expect(value.body.errors[0].message).not.toMatch(/Did you mean|M3TER/);
    expect(value.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('logs a request with 100 wrong variables in one line at info, none at error level', async () => {
    const variables = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`v${i}`, 'not a number']));
    const document = `query Many(${Object.keys(variables).map((name) => `$${name}: Int`).join(', ')}) { entities(first: $v0) { totalCount } ${Object.keys(variables).slice(1).map((name) => `${name}: entities(first: $${name}) { totalCount }`).join(' ')} }`;
    const answer = await rawRequest(gw.url, { ...query(document, variables), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-request-id': 'many-variables-1' } });
    expect(answer.status).toBe(400);
    const lines = linesOf('many-variables-1');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.map((line) => line.msg)).toContain('graphql request');
  });

  it('still logs a truly masked error at error level', async () => {
    gw.sandbox.setFaults('zuora', { rules: [{ kind: 'foreign-answer', match: { path: '^/v1/entities$' }, answer: { status: 200, body: { success: true, data: [] } } }] });
    try {
      const answer = await rawRequest(gw.url, { ...query(HEALTHY), headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-request-id': 'masked-1' } });
      expect(answer.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      gw.sandbox.clearFaults();
    }
    expect(linesOf('masked-1').filter((line) => line.level === 50)).toEqual([expect.objectContaining({ msg: 'graphql error masked as INTERNAL_SERVER_ERROR', err: expect.objectContaining({ vendorCode: 'UNEXPECTED_RESPONSE' }) })]);
  });

  it('refuses a 100 KB filter.externalId with BAD_USER_INPUT naming the argument, before any vendor call', async () => {
    const mark = gw.sandbox.ledger.mark;
    const answer = await gw.post(`{ externalLinks(filter: { externalId: "${'x'.repeat(102_400)}" }) { nodes { id } } }`, { key: ADMIN });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ message: 'externalLinks.filter.externalId is 102400 bytes long; at most 2048 are accepted', extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(gw.calls(mark)).toBe(0);
  });

  it('refuses two Authorization headers that disagree with 401, whichever comes first', async () => {
    const mark = gw.sandbox.ledger.mark;
    for (const pair of [[`Bearer ${ADMIN}`, `Bearer ${READER}`], [`Bearer ${READER}`, `Bearer ${ADMIN}`]]) {
      const answer = await rawRequest(gw.url, query(HEALTHY, undefined, { authorization: pair }));
      expect(answer.status).toBe(401);
      expect(answer.body.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('more than once') });
    }
    expect(gw.calls(mark)).toBe(0);
  });

  it.each([
    ['zuora', '^/v1/entities$', { success: true, data: [] }, '{ entities(first: 2) { totalCount } }'],
    ['zuora', '^/v1/entities$', { success: true }, '{ entities(first: 2) { totalCount } }'],
    ['m3ter', '/externalmappings', { items: [{ id: 'm-1' }] }, '{ externalLinks(filter: { provider: M3TER }, first: 2) { nodes { id } } }'],
  ] as const)('fails a %s 200 of the wrong shape (%s) as an upstream error, not an empty list', async (vendor, path, body, document) => {
    gw.sandbox.setFaults(vendor, { rules: [{ kind: 'foreign-answer', match: { path }, answer: { status: 200, body } }] });
    try {
      const answer = await gw.post(document, { key: ADMIN });
      expect(answer.body.errors).toEqual([expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      expect(Object.values(answer.body.data)).toEqual([null]);
    } finally {
      gw.sandbox.clearFaults();
    }
  });
});
