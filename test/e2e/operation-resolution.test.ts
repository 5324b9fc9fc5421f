/**
 * "Run something other than what was checked", every variant we know of, as rows: a request is
 * checked on the one operation that will run (src/http/resolve-operation.ts) or it does not run.
 * Each row names its caller, what it sends and the answer it gets; after each, the sandbox's
 * ledger shows no vendor write (token calls aside), and no vendor call at all for a refusal.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';
import { rawRequest, type RawRequest } from '../helpers/raw-request.js';

const ADMIN = 'ilk_test_admin_resolution_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const READER = 'ilk_test_reader_resolution_1b2c3d4e5f60718293a4b5c6d7e8f90a';
const FRONTEND = 'ilk_test_frontend_resolution_2c3d4e5f60718293a4b5c6d7e8f90a1b';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const LISTED = 'query EntityCount { entities { totalCount } }';
const LISTED_ID = sha256(LISTED);
const CREATE = (id: string) =>
  `mutation A { createExternalLink(input: { provider: REVIO, internalType: "CUSTOMER", internalId: "2001", externalSystem: "salesforce", externalId: "${id}" }) { externalLink { id } } }`;
const READ = 'query R { entities(first: 1) { nodes { name } } }';

const dir = mkdtempSync(join(tmpdir(), 'interlink-resolution-'));
const manifestFile = join(dir, 'manifest.json');
writeFileSync(manifestFile, JSON.stringify({ [LISTED_ID]: LISTED }));

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const json = { 'content-type': 'application/json' };
const post = (key: string, body: unknown, search = ''): RawRequest => ({ method: 'POST', path: `/graphql${search}`, headers: { ...json, ...auth(key) }, body: JSON.stringify(body) });
const get = (key: string, params: Record<string, string>, extra: Partial<RawRequest> = {}): RawRequest => ({
  method: 'GET',
  path: `/graphql?${new URLSearchParams(params).toString()}`,
  headers: { ...auth(key), 'apollo-require-preflight': 'true', ...extra.headers },
  ...(extra.body === undefined ? {} : { body: extra.body }),
});

interface Row {
  name: string;
  request: RawRequest;
  status: number;
  code: string | null;
  /** Whether the row's request may reach a vendor (reads only; writes never). Default: no. */
  reads?: boolean;
}

const ROWS: Row[] = [
  // --- an operationName that picks no operation: never "the only one", never read as a query
  { name: 'read key, a lone mutation, operationName naming none', request: post(READER, { query: CREATE('0012D0000BYPASS1'), operationName: 'Nope' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'read key, a lone mutation, operationName ""', request: post(READER, { query: CREATE('0012D0000BYPASS2'), operationName: '' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'read key, a lone anonymous mutation, operationName naming none', request: post(READER, { query: CREATE('0012D0000BYPASS3').replace('mutation A', 'mutation'), operationName: 'A' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'admin key, a lone mutation, operationName naming none', request: post(ADMIN, { query: CREATE('0012D0000BYPASS4'), operationName: 'Nope' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'read key, operationName naming a fragment', request: post(READER, { query: `${CREATE('0012D0000BYPASS5')} fragment F on Query { __typename }`, operationName: 'F' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'read key, a query and a mutation, no operationName', request: post(READER, { query: `${READ} ${CREATE('0012D0000BYPASS6')}` }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'read key, a query and a mutation, the mutation named', request: post(READER, { query: `${READ} ${CREATE('0012D0000BYPASS7')}`, operationName: 'A' }), status: 403, code: 'FORBIDDEN' },
  { name: 'read key, a query and a mutation, the query named', request: post(READER, { query: `${READ} ${CREATE('0012D0000BYPASS8')}`, operationName: 'R' }), status: 200, code: null, reads: true },
  { name: 'read key, a document with no operation', request: post(READER, { query: 'fragment F on Query { __typename }' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },

  // --- the operation in one place only: where Apollo takes it
  { name: 'GET with a body', request: get(READER, { query: READ }, { headers: json, body: JSON.stringify({ query: READ }) }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'trusted-documents key: GET query in the URL, a listed id in a JSON body',
    request: get(FRONTEND, { query: READ }, { headers: json, body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: LISTED_ID } } }) }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'trusted-documents key: POST a listed id, a query in the URL', request: post(FRONTEND, { extensions: { persistedQuery: { version: 1, sha256Hash: LISTED_ID } } }, `?query=${encodeURIComponent(READ)}`), status: 400, code: 'BAD_REQUEST' },
  { name: 'trusted-documents key: POST a listed id with other text beside it', request: post(FRONTEND, { query: READ, extensions: { persistedQuery: { version: 1, sha256Hash: LISTED_ID } } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'trusted-documents key: POST a listed documentId with other text beside it', request: post(FRONTEND, { query: READ, documentId: LISTED_ID }), status: 403, code: 'OPERATION_NOT_ALLOWLISTED' },
  { name: 'trusted-documents key: GET a listed id in the URL, the query text beside it', request: get(FRONTEND, { query: READ, extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: LISTED_ID } }) }), status: 400, code: 'BAD_REQUEST' },
  { name: 'trusted-documents key: its listed id by GET', request: get(FRONTEND, { extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: LISTED_ID } }) }), status: 200, code: null, reads: true },
  { name: 'trusted-documents key: its listed id by documentId', request: post(FRONTEND, { documentId: LISTED_ID }), status: 200, code: null, reads: true },
  { name: 'read key: POST a mutation in the body, a query in the URL', request: post(READER, { query: CREATE('0012D0000BYPASS9') }, `?query=${encodeURIComponent(READ)}`), status: 400, code: 'BAD_REQUEST' },
  { name: 'read key: POST a query in the body, operationName in the URL', request: post(READER, { query: `${READ} ${CREATE('0012D0000BYPASSA')}`, operationName: 'R' }, '?operationName=A'), status: 400, code: 'BAD_REQUEST' },
  { name: 'read key: GET operationName twice', request: { ...get(READER, { query: `${READ} ${CREATE('0012D0000BYPASSB')}` }), path: `/graphql?${new URLSearchParams([['query', `${READ} ${CREATE('0012D0000BYPASSB')}`], ['operationName', 'R'], ['operationName', 'A']]).toString()}` }, status: 400, code: 'BAD_REQUEST' },
  { name: 'admin key: a mutation by GET', request: get(ADMIN, { query: CREATE('0012D0000BYPASSC') }), status: 405, code: 'BAD_REQUEST' },

  // --- variables are the operation's own
  { name: 'read key: an undeclared variable', request: post(READER, { query: READ, variables: { pad: [{}, {}] } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'read key: a body padded with 100,000 values', request: post(READER, { query: '{ __typename }', variables: { pad: Array.from({ length: 100_000 }, () => ({})) } }), status: 400, code: 'BAD_REQUEST' },

  // --- persisted queries resolve to text before any check
  { name: 'read key: an APQ hash never registered', request: post(READER, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('mutation Never { __typename }') } } }), status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' },
  { name: 'read key: an APQ hash with text that does not match it', request: post(READER, { query: READ, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(CREATE('x')) } } }), status: 400, code: 'BAD_REQUEST' },
];

describe('operation resolution: what is checked is what runs', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const gw = withGateway({
    env: { INTERLINK_TRUSTED_DOCUMENTS_FILE: manifestFile, INTERLINK_INTROSPECTION: 'false' },
    keys: {
      admin: { key: ADMIN, scopes: ['read', 'write'] },
      reader: { key: READER, scopes: ['read'] },
      frontend: { key: FRONTEND, scopes: ['read'], trustedDocumentsOnly: true },
    },
  });

  const writesSince = (mark: number) => gw.sandbox.ledger.list({ sinceSeq: mark }).filter((entry) => entry.method !== 'GET' && !/oauth\/token/i.test(entry.path));

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const mark = gw.sandbox.ledger.mark;
    const answer = await rawRequest(gw.url, row.request);
    const code = answer.body?.errors?.[0]?.extensions?.code ?? null;
    expect({ status: answer.status, code }).toEqual({ status: row.status, code: row.code });
    expect(writesSince(mark)).toEqual([]);
    if (row.reads !== true) expect(gw.calls(mark)).toBe(0);
  });

  it('a registered APQ mutation, run by its hash with a read key, is refused on its type', async () => {
    const mutation = CREATE('0012D0000BYPASSD').replace('mutation A', 'mutation Registered');
    const hash = sha256(mutation);
    // Registered by the admin with a body that fails on purpose (unknown tenant header): the text is stored.
    await rawRequest(gw.url, { ...post(ADMIN, { query: mutation, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }), headers: { ...json, ...auth(ADMIN), 'interlink-revio-client': 'nobody' } });
    const mark = gw.sandbox.ledger.mark;
    const answer = await rawRequest(gw.url, post(READER, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }));
    expect(answer.status).toBe(403);
    expect(answer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(writesSince(mark)).toEqual([]);
  });

  describe('with the checks beside Apollo gone, Apollo still runs nothing unresolved', () => {
    let server: import('../../src/server.js').InterlinkServer;
    beforeAll(async () => {
      const { createServer } = await import('../../src/server.js');
      server = createServer({ config: gw.config, upstreams: gw.upstreams });
      await server.apollo.start();
    });
    afterAll(() => server.apollo.stop());

    it('refuses an operationName naming none in process too (the executor runs only what Apollo resolved)', async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await server.apollo.executeOperation({ query: CREATE('0012D0000BYPASSE'), operationName: 'Nope' }, { contextValue: server.contextFor({}) });
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      expect(result?.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
      expect(writesSince(mark)).toEqual([]);
    });
  });
});
