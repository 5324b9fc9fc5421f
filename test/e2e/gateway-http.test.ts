import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, withGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The gateway as its process serves it (`createGateway`), over HTTP: API keys and scopes, the
 * tenant a key may act for, request ids, audit and request log lines, metrics, readiness and the
 * Apollo hardening, each checked on the wire. Refusals are also checked in the sandbox ledger:
 * a refused request must not reach any vendor.
 */
const ADMIN = 'ilk_test_admin_3f0c2d9a8b7e6f5a4c3b2a1908f7e6d5';
const READER = 'ilk_test_reader_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
const ACME = 'ilk_test_acme_only_0123456789abcdef0123456789abcdef';

const ENTITIES = 'query Names { entities(first: 3) { nodes { name } } }';

describe('gateway over HTTP', () => {
  const gw = withGateway({
      keys: {
        admin: { key: ADMIN, scopes: ['read', 'write'] },
        reader: { key: READER, scopes: ['read'] },
        // Rev.io only (the first company's seeded client code), nothing at Zuora or m3ter.
        acme: { key: ACME, scopes: ['read', 'write'], tenants: { zuora: [], m3ter: [], revio: ['acmetel'] } },
      },
      env: { INTERLINK_READINESS_CACHE_MS: '0' },
    });
  let company0: { rootEntityId: string; orgId: string; clientCode: string };
  let company1: { rootEntityId: string; orgId: string; clientCode: string };

  beforeAll(async () => {
    const facts = gw.sandbox.fixtures.facts.companies;
    const pick = (i: number) => ({ rootEntityId: facts[i]!.zuora.rootEntityId, orgId: facts[i]!.m3ter.orgId, clientCode: facts[i]!.revio.clientCode });
    [company0, company1] = [pick(0), pick(1)];
  }, 60_000);

  describe('callers', () => {
    it('answers 401 UNAUTHENTICATED without a key, with a wrong key or a malformed header, and calls no vendor', async () => {
      const mark = gw.sandbox.ledger.mark;
      const cases = [
        await gw.post(ENTITIES),
        await gw.post(ENTITIES, { key: 'ilk_not_a_key' }),
        await gw.post(ENTITIES, { headers: { authorization: `Basic ${ADMIN}` } }),
        await gw.post(ENTITIES, { headers: { authorization: `Bearer ${ADMIN}`, 'x-api-key': READER } }),
      ];
      for (const response of cases) {
        expect(response.status).toBe(401);
        expect(response.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
        expect(JSON.stringify(response.body)).not.toContain(ADMIN);
      }
      expect(gw.calls(mark)).toBe(0);
    });

    it('accepts the key as Bearer or as X-Api-Key', async () => {
      const bearer = await gw.post(ENTITIES, { key: READER });
      const header = await gw.post(ENTITIES, { headers: { 'x-api-key': READER } });
      expect(bearer.status).toBe(200);
      expect(bearer.body.data.entities.nodes.length).toBeGreaterThan(0);
      expect(header.body).toEqual(bearer.body);
    });

    it('refuses a mutation to a read-only key with 403 FORBIDDEN before any vendor call, and audits the refusal', async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('mutation Drop { deleteExternalLink(input: { id: "RXh0ZXJuYWxMaW5rOk0zVEVSOng6eQ==", clientMutationId: "r1" }) { deletedId } }', { key: READER });
      expect(response.status).toBe(403);
      expect(response.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('"write" scope') });
      expect(gw.calls(mark)).toBe(0);
      expect(gw.logs().filter((line) => line.log === 'audit' && line.keyId === 'reader')).toEqual([
        expect.objectContaining({ operation: 'deleteExternalLink', outcome: 'denied', errorCode: 'FORBIDDEN' }),
      ]);
      expect(gw.logs().filter((line) => line.log === 'security' && line.keyId === 'reader')).toEqual([
        expect.objectContaining({ level: 40, operation: 'deleteExternalLink', code: 'FORBIDDEN', reason: expect.stringContaining('"write" scope') }),
      ]);
    });
  });

  describe('tenants', () => {
    let scoped: TestGateway;
    beforeAll(async () => {
      // A key for the second company only: its tenants at every vendor, nothing else.
      const facts = gw.sandbox.fixtures.facts.companies[1]!;
      const zuoraIds = gw.sandbox.tenants.zuora[1]!.entityIds;
      scoped = await startGateway({
        keys: { second: { key: ACME, scopes: ['read'], tenants: { zuora: zuoraIds, m3ter: [facts.m3ter.orgId], revio: [facts.revio.clientCode] } } },
      });
    }, 60_000);
    afterAll(async () => scoped?.close());

    it("defaults to the key's own tenant at each vendor", async () => {
      const response = await scoped.post('{ entity(id: "' + company1.rootEntityId + '") { name externalLinks { tenant } } }', { key: ACME });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      const tenants = response.body.data.entity.externalLinks.map((link: { tenant: string }) => link.tenant.toLowerCase()).sort();
      expect(tenants).toEqual([company1.clientCode.toLowerCase(), company1.orgId.toLowerCase()].sort());
    });

    it('refuses a tenant outside the grant with 403 FORBIDDEN and zero upstream calls', async () => {
      const outside: Record<string, string>[] = [{ 'interlink-zuora-entity': company0.rootEntityId }, { 'interlink-m3ter-org': company0.orgId }, { 'interlink-revio-client': company0.clientCode }];
      for (const headers of outside) {
        const mark = scoped.sandbox.ledger.mark;
        const response = await scoped.post(ENTITIES, { key: ACME, headers });
        expect(response.status).toBe(403);
        expect(response.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
        expect(scoped.calls(mark)).toBe(0);
      }
      const refused = scoped.logs().filter((line) => line.msg === 'graphql request refused');
      expect(refused).toHaveLength(3);
      expect(refused.every((line) => line.status === 403 && line.errorCodes[0] === 'FORBIDDEN' && line.upstreamCalls === 0)).toBe(true);
    });

    it('a key that grants nothing at a vendor cannot reach it', async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post(ENTITIES, { key: ACME });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(gw.calls(mark)).toBe(0);
    });
  });

  describe('request ids, logs and audit', () => {
    it('echoes a safe x-request-id, forwards it to every vendor, and logs one line per request', async () => {
      const mark = gw.sandbox.ledger.mark;
      const query = `{ entity(id: "${company0.rootEntityId}") { name externalLinks { provider } } }`;
      const response = await gw.post(query, { key: ADMIN, headers: { 'x-request-id': 'trace-42.a' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('trace-42.a');
      const calls = gw.sandbox.ledger.list({ sinceSeq: mark }).filter((entry) => !/oauth/.test(entry.path));
      expect(new Set(calls.map((entry) => entry.vendor))).toEqual(new Set(['zuora', 'm3ter', 'revio']));
      for (const entry of calls) expect(entry.headers[entry.vendor === 'zuora' ? 'zuora-track-id' : 'x-request-id']).toBe('trace-42.a');
      const line = gw.logs().find((l) => l.msg === 'graphql request' && l.requestId === 'trace-42.a');
      expect(line).toMatchObject({ operationType: 'query', outcome: 'success', errorCodes: [], keyId: 'admin', upstreamCalls: calls.length });
      expect(line!.durationMs).toEqual(expect.any(Number));
    });

    it('replaces an unsafe x-request-id with a new one', async () => {
      const response = await gw.post(ENTITIES, { key: ADMIN, headers: { 'x-request-id': 'bad id with spaces' } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('writes one audit line per mutation: caller, tenant, operation, targets, idempotency key, outcome, vendor request id', async () => {
      const tenant = gw.sandbox.fixtures.zuora.tenants[0]!;
      const connected = tenant.connections.find((c) => c.status === 'Connected')!;
      const response = await gw.post(
        'mutation Cut($c: ID!, $e: ID!) { disconnectConnection(input: { connectionId: $c, actingEntityId: $e, clientMutationId: "cut-1" }) { connection { status } } }',
        { key: ADMIN, variables: { c: connected.id, e: connected.sourceEntityId }, headers: { 'x-request-id': 'audit-1' } },
      );
      expect(response.body.errors).toBeUndefined();
      const audit = gw.logs().filter((line) => line.log === 'audit' && line.requestId === 'audit-1');
      expect(audit).toEqual([
        expect.objectContaining({
          keyId: 'admin',
          tenant: expect.objectContaining({ zuora: expect.stringMatching(/^[0-9a-f]{32}$/) }),
          operation: 'disconnectConnection',
          targets: expect.objectContaining({ connectionId: connected.id, actingEntityId: connected.sourceEntityId }),
          idempotencyKey: 'cut-1',
          outcome: 'success',
          errorCode: null,
          // Zuora's Zuora-Request-Id of each call the mutation made (it reads, then writes).
          vendorRequestIds: expect.arrayContaining([expect.stringMatching(/^[0-9a-f-]{36}$/)]),
        }),
      ]);
    });

    it('audits a failed mutation with its error code', async () => {
      const response = await gw.post('mutation { deleteExternalLink(input: { id: "nope", clientMutationId: "d-1" }) { deletedId } }', { key: ADMIN, headers: { 'x-request-id': 'audit-2' } });
      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(gw.logs().filter((line) => line.log === 'audit' && line.requestId === 'audit-2')).toEqual([
        expect.objectContaining({ operation: 'deleteExternalLink', outcome: 'error', errorCode: 'BAD_USER_INPUT', idempotencyKey: 'd-1', targets: { id: 'nope' } }),
      ]);
    });
  });

  describe('operations endpoints', () => {
    it('/healthz is 200; /readyz is 200 naming every upstream, and 503 naming the one that fails three rounds in a row', async () => {
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${gw.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', upstreams: { zuora: 'ok', m3ter: 'ok', revio: 'ok' } });

      gw.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503 }] });
      try {
        // Two failed rounds are ridden out (degraded), the third is an outage.
        for (const consecutiveFailures of [1, 2]) {
          const degraded = await fetch(`${gw.url}/readyz`);
          expect(degraded.status).toBe(200);
          expect(await degraded.json()).toMatchObject({ status: 'ready', upstreams: { m3ter: { status: 'degraded', code: 'UPSTREAM_UNAVAILABLE', consecutiveFailures } } });
        }
        const failing = await fetch(`${gw.url}/readyz`);
        expect(failing.status).toBe(503);
        const body = await failing.json();
        expect(body).toMatchObject({ status: 'unavailable', failing: ['m3ter'], upstreams: { zuora: 'ok', revio: 'ok', m3ter: { status: 'failing', code: 'UPSTREAM_UNAVAILABLE', consecutiveFailures: 3 } } });
        expect(JSON.stringify(body)).not.toContain('127.0.0.1');
      } finally {
        gw.sandbox.clearFaults();
      }
    });

    it('/metrics exposes requests, latency, upstream calls, retries, token fetches and batch sizes', async () => {
      await gw.post('query Graph { entities(first: 5) { nodes { name connections(first: 2) { nodes { status } } } } }', { key: ADMIN });
      const response = await fetch(`${gw.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toMatch(/interlink_graphql_requests_total\{operation="Graph",outcome="success"\} 1/);
      expect(text).toMatch(/interlink_graphql_request_duration_seconds_bucket\{le="[\d.]+",operation="Graph"\}/);
      expect(text).toMatch(/interlink_upstream_requests_total\{vendor="zuora",operation="listEntities",status="200"\} \d+/);
      expect(text).toMatch(/interlink_upstream_request_duration_seconds_bucket\{le="[\d.]+",vendor="zuora"/);
      expect(text).toContain('interlink_upstream_retries_total');
      expect(text).toMatch(/interlink_upstream_token_fetches_total\{vendor="zuora",outcome="ok"\} \d+/);
      // Five entities' connections in one batch.
      expect(text).toMatch(/interlink_dataloader_batch_size_bucket\{le="5",loader="connectionsOf"\} [1-9]/);
      expect(text).toMatch(/interlink_graphql_requests_total\{operation="unknown",outcome="error"\} [1-9]/);
    });

    it('answers 404 off its paths, 413 for a body over 1 MiB and 400 for a body that is not JSON', async () => {
      const missing = await fetch(`${gw.url}/nope`);
      expect(missing.status).toBe(404);
      const big = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(1024 * 1024) }) });
      expect(big.status).toBe(413);
      expect((await big.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      const bad = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: '{"query": ' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    });
  });

  describe('Apollo hardening', () => {
    it('refuses batched requests', async () => {
      const response = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify([{ query: ENTITIES }, { query: ENTITIES }]) });
      expect(response.status).toBe(400);
    });

    it('prevents CSRF: a GET without a preflight-forcing header is refused; with one it runs', async () => {
      const url = `${gw.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
      const simple = await fetch(url, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(simple.status).toBe(400);
      expect(await simple.text()).toMatch(/CSRF/i);
      const preflighted = await fetch(url, { headers: { authorization: `Bearer ${ADMIN}`, 'apollo-require-preflight': 'true' } });
      expect(preflighted.status).toBe(200);
    });

    it('masks an unexpected failure as INTERNAL_SERVER_ERROR with no stack, and logs the real error', async () => {
      // A bug stand-in: the client throws something no upstream error class describes.
      const directory = gw.gateway.upstreams.zuora.providerFor(company0.rootEntityId)!;
      const entities = directory.entities;
      directory.entities = () => Promise.reject(new TypeError('boom near http://10.1.2.3/secret'));
      try {
        const response = await gw.post(ENTITIES, { key: ADMIN, headers: { 'x-request-id': 'bug-1' } });
        expect(response.body.errors).toEqual([expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
        expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|boom|10\.1\.2\.3|\.ts:\d+/);
      } finally {
        directory.entities = entities;
      }
      const logged = gw.logs().find((line) => line.requestId === 'bug-1' && line.level === 50);
      expect(logged?.err?.message).toContain('boom');
    });

    it('introspection is on in sandbox mode and off when configured so', async () => {
      const on = await gw.post('{ __schema { queryType { name } } }', { key: READER });
      expect(on.body.data.__schema.queryType.name).toBe('Query');
      const closed = await startGateway({ keys: { r: { key: READER, scopes: ['read'] } }, env: { INTERLINK_INTROSPECTION: 'off' } });
      try {
        const off = await closed.post('{ __schema { queryType { name } } }', { key: READER });
        expect(off.status).toBe(400);
        expect(off.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      } finally {
        await closed.close();
      }
    });
  });

  it('logs no secret: API keys, vendor credentials and tokens never appear in any log line', async () => {
    // A vendor failure too, so error serialization is covered.
    gw.sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 500 }] });
    try {
      await gw.post(`{ entity(id: "${company0.rootEntityId}") { externalLinks { provider } } }`, { key: ADMIN });
    } finally {
      gw.sandbox.clearFaults();
    }
    const text = gw.logText();
    expect(text.length).toBeGreaterThan(1000);
    const secrets = [
      ADMIN,
      READER,
      ACME,
      ...gw.sandbox.tenants.zuora.map((t) => t.clientSecret),
      ...gw.sandbox.tenants.m3ter.map((t) => t.apiSecret),
      ...gw.sandbox.tenants.revio.flatMap((t) => [t.password, t.subscriptionKey]),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Credentials, not the words: a refusal may tell a caller to send "Bearer <API key>".
    expect(text).not.toMatch(/Bearer\s+[A-Za-z0-9._~+/=-]{8,}|Basic [A-Za-z0-9+/=]{8,}/);
  });
});
