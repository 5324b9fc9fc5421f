/**
 * Identical queries in flight share one execution (src/http/query-coalescing.ts), over HTTP
 * against the sandbox: vendor calls counted from its ledger, joiners told apart by their log
 * lines (`coalesced: true`). A latency fault keeps the first request (the leader) in the air
 * while the others arrive. Vendor-read sharing is off, so every saved call is coalescing's.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_QUERY } from '../../src/sample-query.js';
import { ADMIN_KEY, withGateway, type PostOptions, type PostResult, type TestGateway } from '../helpers/gateway.js';
import { startJwksServer, type JwksServer, type SigningKey } from '../helpers/jwks-server.js';

const ACME_KEY = 'ilk_test_acme_key_for_coalescing_00000001';
const GLOBEX_KEY = 'ilk_test_globex_key_for_coalescing_000001';
const ISOLATED = { INTERLINK_SHARE_VENDOR_READS: 'off' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds each request's first Zuora entity list for `ms` (the first `times` of them: default all). */
function slowZuora(gateway: TestGateway, ms: number, times?: number): void {
  gateway.sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: ms, ...(times === undefined ? {} : { times }), match: { path: '^/v1/entities' } }] });
}

/** Vendor calls of one execution of `query`, after it has been seen (so this process knows it is a query). */
async function callsOfOne(gateway: TestGateway, query: string, options?: PostOptions): Promise<number> {
  expect((await gateway.post(query, options)).status).toBe(200);
  const mark = gateway.sandbox.ledger.mark;
  const again = await gateway.post(query, options);
  expect(again.body.errors).toBeUndefined();
  return gateway.calls(mark);
}

function coalescedLines(gateway: TestGateway, requestIds: (string | null)[]): Record<string, any>[] {
  return gateway.logs().filter((line) => line.msg === 'graphql request' && line.coalesced === true && requestIds.includes(line.requestId));
}

async function coalescedTotal(gateway: TestGateway): Promise<number> {
  const text = await gateway.gateway.metrics.render();
  return Number(/^interlink_graphql_coalesced_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

describe('query coalescing', () => {
  const gateway = withGateway({
    env: ISOLATED,
    // One attempt: a failure injected once is the answer, not retried away.
    resilience: { maxAttempts: 1 },
    keys: { admin: { key: ADMIN_KEY, scopes: ['read', 'write'] }, acme: { key: ACME_KEY, scopes: ['read'] }, globex: { key: GLOBEX_KEY, scopes: ['read'] } },
  });
  const post = (query: string, options: PostOptions = {}): Promise<PostResult> => gateway.post(query, { key: ADMIN_KEY, ...options });

  it('answers 8 identical concurrent queries with one execution: the same data, each its own x-request-id', async () => {
    const query = '{ entities { totalCount nodes { entityId name } } }';
    const single = await callsOfOne(gateway, query, { key: ADMIN_KEY });
    expect(single).toBeGreaterThan(0);
    const before = await coalescedTotal(gateway);
    slowZuora(gateway, 300, 1);
    try {
      const mark = gateway.sandbox.ledger.mark;
      const responses = await Promise.all(Array.from({ length: 8 }, () => post(query)));
      expect(gateway.calls(mark)).toBe(single);
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.body.errors).toBeUndefined();
        expect(response.body).toEqual(responses[0]!.body);
      }
      expect(responses[0]!.body.data.entities.nodes.length).toBeGreaterThan(0);
      const ids = responses.map((response) => response.headers.get('x-request-id'));
      expect(new Set(ids).size).toBe(8);
      // Seven joined the one that executed; each has its own line, with no vendor call of its own.
      const lines = coalescedLines(gateway, ids);
      expect(lines).toHaveLength(7);
      for (const line of lines) expect(line).toMatchObject({ upstreamCalls: 0, outcome: 'success', status: 200, keyId: 'admin', durationMs: expect.any(Number), leaderRequestId: expect.any(String) });
      expect(ids).toContain(lines[0]!.leaderRequestId);
      expect(await coalescedTotal(gateway)).toBe(before + 7);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });

  it('never shares between two API keys or two tenants: each pays its own calls and gets its own data', async () => {
    const [acme, globex] = gateway.sandbox.fixtures.facts.companies;
    const tenantHeaders = (company: typeof acme) => ({ 'interlink-zuora-entity': company!.zuora.rootEntityId, 'interlink-m3ter-org': company!.m3ter.orgId, 'interlink-revio-client': company!.revio.clientCode });
    const callers = [
      { key: ACME_KEY, headers: tenantHeaders(acme), company: acme! },
      { key: GLOBEX_KEY, headers: tenantHeaders(globex), company: globex! },
      // Same tenant as the one above, another key.
      { key: ACME_KEY, headers: tenantHeaders(globex), company: globex! },
    ];
    const query = '{ entities { nodes { entityId tenantId } } }';
    const single = await callsOfOne(gateway, query, callers[0]);
    for (const caller of callers.slice(1)) expect(await callsOfOne(gateway, query, caller)).toBe(single);
    slowZuora(gateway, 300);
    try {
      const mark = gateway.sandbox.ledger.mark;
      // Each caller twice: the pair shares, the callers do not.
      const sent = [...callers, ...callers];
      const responses = await Promise.all(sent.map((caller) => gateway.post(query, caller)));
      expect(gateway.calls(mark)).toBe(callers.length * single);
      responses.forEach((response, i) => {
        expect(response.body.errors).toBeUndefined();
        const nodes = response.body.data.entities.nodes as { tenantId: string }[];
        expect(nodes.length).toBeGreaterThan(0);
        expect(nodes.every((node) => node.tenantId === sent[i]!.company.zuora.tenantId)).toBe(true);
      });
      expect(coalescedLines(gateway, responses.map((response) => response.headers.get('x-request-id')))).toHaveLength(callers.length);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });

  it('answers a query sent after a mutation was answered with a read made after it, not from a flight started before', async () => {
    const customer = gateway.sandbox.fixtures.facts.companies[0]!.customers[3]!;
    // Two root fields resolved side by side: the m3ter read is done at once, the Zuora list keeps the flight in the air.
    const query = '{ entities(first: 1) { nodes { entityId } } resolveExternalId(system: "SALESFORCE", id: "006COALESCE") { provider } }';
    await callsOfOne(gateway, query, { key: ADMIN_KEY });
    slowZuora(gateway, 800, 1);
    try {
      let firstDone = false;
      const first = post(query).then((response) => ((firstDone = true), response));
      await sleep(150);
      const write = await post('mutation($id: String!) { createExternalLink(input: { provider: M3TER, internalType: "Account", internalId: $id, externalSystem: "SALESFORCE", externalTable: "Opportunity", externalId: "006COALESCE" }) { externalLink { id } } }', { variables: { id: customer.m3terAccountId } });
      expect(write.body.errors).toBeUndefined();
      expect(firstDone).toBe(false);
      const after = await post(query);
      expect(firstDone).toBe(false);
      expect(after.body.errors).toBeUndefined();
      expect(after.body.data.resolveExternalId).toEqual([{ provider: 'M3TER' }]);
      // The flight in the air read before the write, and only its own request got that answer.
      expect((await first).body.data.resolveExternalId).toEqual([]);
      expect(coalescedLines(gateway, [after.headers.get('x-request-id')])).toHaveLength(0);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });

  it('does not share an answer with errors: each joiner executes on its own', async () => {
    const query = '{ entities(first: 2) { nodes { entityId name } } }';
    await callsOfOne(gateway, query, { key: ADMIN_KEY });
    gateway.sandbox.setFaults('zuora', {
      rules: [
        { kind: 'latency', latencyMs: 300, times: 1, match: { path: '^/v1/entities' } },
        { kind: 'server-error', status: 502, times: 1, match: { path: '^/v1/entities' } },
      ],
    });
    try {
      const mark = gateway.sandbox.ledger.mark;
      const leader = post(query, { headers: { 'x-request-id': 'coalesce-err-leader' } });
      await sleep(100);
      const joiners = await Promise.all([1, 2, 3].map((i) => post(query, { headers: { 'x-request-id': `coalesce-err-joiner-${i}` } })));
      const failed = await leader;
      expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      for (const joiner of joiners) {
        expect(joiner.status).toBe(200);
        expect(joiner.body.errors).toBeUndefined();
        expect(joiner.body.data.entities.nodes).toHaveLength(2);
      }
      expect(gateway.calls(mark, { vendor: 'zuora', path: '/v1/entities' })).toBe(4);
      expect(coalescedLines(gateway, ['coalesce-err-joiner-1', 'coalesce-err-joiner-2', 'coalesce-err-joiner-3'])).toHaveLength(0);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });

  it("compresses each joiner's answer for its own Accept-Encoding", async () => {
    const send = (acceptEncoding: string | undefined, requestId: string): Promise<{ headers: http.IncomingHttpHeaders; bytes: Buffer }> =>
      new Promise((resolve, reject) => {
        const request = http.request(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, 'x-request-id': requestId, ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }) },
        });
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }));
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(JSON.stringify({ query: SAMPLE_QUERY }));
      });
    await callsOfOne(gateway, SAMPLE_QUERY, { key: ADMIN_KEY });
    slowZuora(gateway, 300, 1);
    try {
      const leader = send(undefined, 'coalesce-zip-leader');
      await sleep(100);
      const [br, gzip, plain] = await Promise.all([send('br', 'coalesce-zip-br'), send('gzip', 'coalesce-zip-gzip'), send(undefined, 'coalesce-zip-plain')]);
      const text = (await leader).bytes.toString('utf8');
      expect(JSON.parse(text).errors).toBeUndefined();
      expect(br!.headers['content-encoding']).toBe('br');
      expect(zlib.brotliDecompressSync(br!.bytes).toString('utf8')).toBe(text);
      expect(gzip!.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(gzip!.bytes).toString('utf8')).toBe(text);
      expect(plain!.headers['content-encoding']).toBeUndefined();
      expect(plain!.bytes.toString('utf8')).toBe(text);
      expect(plain!.headers['x-request-id']).toBe('coalesce-zip-plain');
      expect(coalescedLines(gateway, ['coalesce-zip-br', 'coalesce-zip-gzip', 'coalesce-zip-plain'])).toHaveLength(3);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });

  it('coalesces a persisted query sent by id', async () => {
    const query = '{ entities(first: 3) { nodes { entityId } } }';
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(query).digest('hex');
    const persisted = async (withText: boolean): Promise<PostResult> => {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ ...(withText ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    };
    expect((await persisted(true)).body.errors).toBeUndefined();
    const mark0 = gateway.sandbox.ledger.mark;
    expect((await persisted(false)).body.errors).toBeUndefined();
    const single = gateway.calls(mark0);
    slowZuora(gateway, 300, 1);
    try {
      const mark = gateway.sandbox.ledger.mark;
      const responses = await Promise.all(Array.from({ length: 4 }, () => persisted(false)));
      expect(gateway.calls(mark)).toBe(single);
      for (const response of responses) expect(response.body.data.entities.nodes).toHaveLength(3);
      expect(coalescedLines(gateway, responses.map((response) => response.headers.get('x-request-id')))).toHaveLength(3);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });
});

describe('query coalescing: a joiner is authenticated like any request', () => {
  const ISSUER = 'https://idp.example.test/';
  const AUDIENCE = 'interlink';
  let jwks: JwksServer;
  let signing: SigningKey;
  beforeAll(async () => {
    jwks = await startJwksServer();
    signing = await jwks.newKey('key-1');
  });
  afterAll(() => jwks?.close());
  const gateway = withGateway(() => ({
    env: { ...ISOLATED, INTERLINK_JWT_JWKS_URL: jwks.url, INTERLINK_JWT_ISSUER: ISSUER, INTERLINK_JWT_AUDIENCE: AUDIENCE, INTERLINK_JWT_CLOCK_SKEW_S: '0' },
  }));

  it('refuses a joiner whose token expired while the flight was in the air, as a new request would be refused', async () => {
    const tenants = {
      zuora: gateway.sandbox.tenants.zuora.flatMap((tenant) => tenant.entityIds),
      m3ter: gateway.sandbox.tenants.m3ter.map((tenant) => tenant.orgId),
      revio: gateway.sandbox.tenants.revio.map((tenant) => tenant.clientCode),
    };
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'billing-sync', scope: 'read', interlink_tenants: tenants };
    const query = '{ entities { totalCount } }';
    // Known as a query (any caller's request teaches it).
    await callsOfOne(gateway, query, { key: await jwks.sign(signing, claims, { expiresIn: '5m' }) });
    const token = await jwks.sign(signing, claims, { expiresIn: '2s' });
    const expiresAtMs = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    // The leader starts now and is answered after the token has expired; the joiner arrives in between.
    slowZuora(gateway, expiresAtMs - Date.now() + 800, 1);
    try {
      const leader = gateway.post(query, { key: token, headers: { 'x-request-id': 'coalesce-jwt-leader' } });
      await sleep(expiresAtMs - Date.now() + 200);
      const joiner = await gateway.post(query, { key: token, headers: { 'x-request-id': 'coalesce-jwt-joiner' } });
      expect((await leader).status).toBe(200);
      expect(joiner.status).toBe(401);
      expect(joiner.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
      // Exactly the refusal a request with that token gets once nothing is in flight.
      const fresh = await gateway.post(query, { key: token });
      expect({ status: joiner.status, body: joiner.body }).toEqual({ status: fresh.status, body: fresh.body });
      expect(gateway.logs().filter((line) => line.requestId === 'coalesce-jwt-joiner').map((line) => line.msg)).toContain('graphql request refused');
      expect(coalescedLines(gateway, ['coalesce-jwt-joiner'])).toHaveLength(0);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });
});

describe('query coalescing off (INTERLINK_COALESCE_QUERIES=off)', () => {
  const gateway = withGateway({ env: { ...ISOLATED, INTERLINK_COALESCE_QUERIES: 'off' } });

  it('executes every request, identical or not', async () => {
    const query = '{ entities { totalCount nodes { entityId name } } }';
    const single = await callsOfOne(gateway, query);
    slowZuora(gateway, 300, 1);
    try {
      const mark = gateway.sandbox.ledger.mark;
      const responses = await Promise.all(Array.from({ length: 8 }, () => gateway.post(query)));
      expect(gateway.calls(mark)).toBe(8 * single);
      for (const response of responses) expect(response.body.errors).toBeUndefined();
      expect(coalescedLines(gateway, responses.map((response) => response.headers.get('x-request-id')))).toHaveLength(0);
      expect(await coalescedTotal(gateway)).toBe(0);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });
});
