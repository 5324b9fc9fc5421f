import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, withGateway } from '../helpers/gateway.js';

const LEAKS = /127\.0\.0\.1|localhost|http:|Bearer|stack|at .*\.ts:/i;

describe('partial results, masking and tenancy (in process and over HTTP)', () => {
  const gateway = withGateway();

  it('nulls only the m3ter-fed fields when m3ter fails, with the code and the vendor', async () => {
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503, match: { path: 'externalmappings' } }] });
    try {
      const query = '{ entities { nodes { name revio: externalLinks(provider: REVIO) { provider } m3ter: externalLinks(provider: M3TER) { provider } } } integrationSystems { name } }';
      for (const result of [await gateway.execute(query), (await gateway.post(query)).body]) {
        const nodes = result.data!.entities.nodes as any[];
        expect(nodes).toHaveLength(5);
        for (const node of nodes) {
          expect(node.name).toEqual(expect.any(String));
          expect(node.revio).toEqual([{ provider: 'REVIO' }]);
          expect(node.m3ter).toBeNull();
        }
        expect(result.data!.integrationSystems.length).toBeGreaterThan(0);
        expect(result.errors).toHaveLength(5);
        for (const error of result.errors!) {
          expect(error.path).toEqual(['entities', 'nodes', expect.any(Number), 'm3ter']);
          expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'm3ter', retryable: true } });
          expect(JSON.stringify(error)).not.toMatch(LEAKS);
        }
      }
    } finally {
      gateway.sandbox.clearFaults();
    }
  });

  it('nulls the entity list alone when Zuora fails; Rev.io fields still answer', async () => {
    gateway.sandbox.setFaults('zuora', { rules: [{ kind: 'server-error', status: 502, match: { path: '/v1/entities' } }] });
    try {
      const { status, body } = await gateway.post('{ entities { totalCount } integrationEntityTypes { name } }');
      expect(status).toBe(200);
      expect(body.data!.entities).toBeNull();
      expect(body.data!.integrationEntityTypes.length).toBeGreaterThan(0);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'zuora', retryable: true, requestId: expect.any(String) } });
      expect(body.errors![0]!.extensions).not.toHaveProperty('stacktrace');
      expect(JSON.stringify(body.errors)).not.toMatch(LEAKS);
    } finally {
      gateway.sandbox.clearFaults();
    }
  });

  it('refuses an unknown tenant with FORBIDDEN (HTTP 403) and zero upstream calls', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const refused: Record<string, string>[] = [{ 'interlink-zuora-entity': '0'.repeat(32) }, { 'interlink-m3ter-org': 'nobody' }, { 'interlink-revio-client': 'nobody' }];
    for (const headers of refused) {
      // Over HTTP the key's grant (every configured tenant) refuses it first; in process, with no
      // key, the gateway's own tenant list does.
      const { status, body } = await gateway.post('{ entities { totalCount } }', { headers });
      expect(status).toBe(403);
      expect(body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN' });
      expect(body.errors![0]!.message).toMatch(/may not act for/);
      const inProcess = await gateway.execute('{ entities { totalCount } }', {}, headers);
      expect(inProcess.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect(inProcess.errors![0]!.message).toMatch(/not configured to act for/);
    }
    expect(gateway.calls(mark, { withTokens: true })).toBe(0);
  });

  it('keeps two concurrent callers on their own tenants', async () => {
    const [acme, globex] = gateway.sandbox.fixtures.facts.companies;
    const headersOf = (c: typeof acme) => ({ 'interlink-zuora-entity': c!.zuora.rootEntityId, 'interlink-m3ter-org': c!.m3ter.orgId, 'interlink-revio-client': c!.revio.clientCode, 'x-request-id': `req-${c!.slug}` });
    const query = '{ entities { nodes { entityId tenantId externalLinks { tenant } } } }';
    const mark = gateway.sandbox.ledger.mark;
    const [a, b] = await Promise.all([gateway.post(query, { headers: headersOf(acme) }), gateway.post(query, { headers: headersOf(globex) })]);
    for (const [response, company] of [[a, acme], [b, globex]] as const) {
      expect(response.body.errors).toBeUndefined();
      const nodes = response.body.data!.entities.nodes as any[];
      expect(nodes.every((n) => n.tenantId === company!.zuora.tenantId)).toBe(true);
      const tenants = new Set(nodes.flatMap((n) => n.externalLinks.map((l: any) => l.tenant)));
      expect(tenants).toEqual(new Set([company!.m3ter.orgId, company!.revio.clientCode]));
      // The ledger: every call carrying this request's id went to this company's tenants only.
      const calls = gateway.sandbox.ledger.list({ sinceSeq: mark }).filter((e) => Object.values(e.headers).includes(`req-${company!.slug}`));
      expect(calls.length).toBeGreaterThan(0);
      const zuoraIds = gateway.sandbox.fixtures.zuora.tenants.find((t) => t.tenantId === company!.zuora.tenantId)!.entities.map((e) => e.id);
      for (const call of calls) {
        const tenant = (call.tenant ?? '').replaceAll('-', '').toLowerCase();
        expect([...zuoraIds, company!.m3ter.orgId.replaceAll('-', ''), company!.revio.clientCode], `${call.vendor} ${call.path}`).toContain(tenant);
      }
    }
  });

  it('serves HTTP with CSRF prevention and no batching', async () => {
    const csrf = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('{ integrationSystems { id } }')}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(csrf.status).toBe(400);
    const batched = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify([{ query: '{ integrationSystems { id } }' }, { query: '{ integrationSystems { id } }' }]) });
    expect(batched.status).toBe(400);
  });
});
