/**
 * The key's grant is the authority for every id a caller sends, what a
 * key granted one entity may see of the rest of its Zuora tenant, keys with an empty grant at one
 * vendor, and the security and audit lines every refusal leaves. Upstream effects are read from
 * the sandbox's ledger, never from the gateway's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/lib/global-id.js';
import { withGateway } from '../helpers/gateway.js';

const GLOBAL_ONLY = 'ilk_test_global_only_0123456789abcd';
const NO_M3TER = 'ilk_test_no_m3ter_0123456789abcdef01';
const REVIO_ONLY = 'ilk_test_revio_only_0123456789abcdef';
const ADMIN = 'ilk_test_admin_0123456789abcdef0123';

describe('authorization on every id', () => {
  const gw = withGateway({
      keys: (sandbox) => {
        const acme = sandbox.fixtures.facts.companies[0]!;
        const entity = acme.zuora.rootEntityId;
        return {
          admin: { key: ADMIN, scopes: ['read', 'write'] },
          'global-only': { key: GLOBAL_ONLY, scopes: ['read', 'write'], tenants: { zuora: [entity], m3ter: [acme.m3ter.orgId], revio: [acme.revio.clientCode] } },
          // The README's example key: an empty grant at m3ter.
          'no-m3ter': { key: NO_M3TER, scopes: ['read', 'write'], tenants: { zuora: [entity], m3ter: [], revio: [acme.revio.clientCode] } },
          'revio-only': { key: REVIO_ONLY, scopes: ['read'], tenants: { zuora: [], m3ter: [], revio: [acme.revio.clientCode] } },
        };
      },
    });
  let root: string;
  let eu: string;
  let uk: string;
  let globexRoot: string;
  let globexConnection: { id: string; sourceEntityId: string };
  let acmeOrg: string;
  let acmeClient: string;

  beforeAll(async () => {
    const { fixtures } = gw.sandbox;
    const acme = fixtures.zuora.tenants[0]!;
    root = fixtures.facts.companies[0]!.zuora.rootEntityId;
    [eu, uk] = acme.entities.filter((e) => e.id !== root).map((e) => e.id) as [string, string];
    globexRoot = fixtures.facts.companies[1]!.zuora.rootEntityId;
    globexConnection = fixtures.zuora.tenants[1]!.connections[0]!;
    acmeOrg = fixtures.facts.companies[0]!.m3ter.orgId;
    acmeClient = fixtures.facts.companies[0]!.revio.clientCode;
  });

  const writes = (mark: number) => gw.sandbox.ledger.list({ sinceSeq: mark }).filter((entry) => entry.method !== 'GET' && !/oauth\/token/i.test(entry.path));

  describe('a key granted one Zuora entity', () => {
    it('is refused a tenant header naming another entity of its tenant (403, no call)', async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('{ entities { totalCount } }', { key: GLOBAL_ONLY, headers: { 'interlink-zuora-entity': eu } });
      expect(response.status).toBe(403);
      expect(gw.calls(mark)).toBe(0);
    });

    it('cannot initiate a connection as another entity through arguments: FORBIDDEN, no POST', async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('mutation($s: ID!, $t: ID!) { initiateConnection(input: { sourceEntityId: $s, targetEntityId: $t }) { connection { id } } }', {
        key: GLOBAL_ONLY,
        variables: { s: eu, t: uk },
      });
      expect(response.body.errors[0]).toMatchObject({ path: ['initiateConnection'], extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('input.sourceEntityId names Zuora entity') });
      expect(gw.calls(mark)).toBe(0);
    });

    it("cannot list another entity's connections, at the root or on the entity: FORBIDDEN, no connection call", async () => {
      const mark = gw.sandbox.ledger.mark;
      const root = await gw.post('query($e: ID!) { connections(entityId: $e) { nodes { id } } }', { key: GLOBAL_ONLY, variables: { e: eu } });
      expect(root.body.errors[0]).toMatchObject({ path: ['connections'], extensions: { code: 'FORBIDDEN' } });
      expect(gw.calls(mark)).toBe(0);

      const nested = await gw.post('query($e: ID!) { entity(id: $e) { name connections { nodes { id } } } }', { key: GLOBAL_ONLY, variables: { e: toGlobalId('Entity', eu) } });
      // The entity itself is part of the tenant's directory, which the key may see.
      expect(nested.body.data.entity).toEqual({ name: expect.any(String), connections: null });
      expect(nested.body.errors[0]).toMatchObject({ path: ['entity', 'connections'], extensions: { code: 'FORBIDDEN' } });
      expect(gw.sandbox.ledger.list({ sinceSeq: mark }).filter((entry) => /connections/.test(entry.path))).toEqual([]);
    });

    it("refuses another company's Connection id before any call, even acting as its own entity", async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('mutation($c: ID!, $e: ID!) { disconnectConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { id } } }', {
        key: GLOBAL_ONLY,
        variables: { c: toGlobalId('Connection', globexConnection.sourceEntityId, globexConnection.id), e: root },
      });
      expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(gw.calls(mark)).toBe(0);
    });

    it("answers another company's 32-hex connection id as not found, reading only its own list and writing nothing", async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('mutation($c: ID!, $e: ID!) { acceptConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { id } } }', {
        key: GLOBAL_ONLY,
        variables: { c: globexConnection.id, e: root },
      });
      expect(response.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(writes(mark)).toEqual([]);
      expect(gw.sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora' }).every((entry) => entry.tenant?.replaceAll('-', '') === root)).toBe(true);
    });

    it("refuses a connection towards another company's entity: FORBIDDEN, no POST", async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('mutation($s: ID!, $t: ID!) { initiateConnection(input: { sourceEntityId: $s, targetEntityId: $t }) { connection { id } } }', {
        key: GLOBAL_ONLY,
        variables: { s: root, t: globexRoot },
      });
      expect(response.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('not in the Zuora tenant') });
      expect(gw.calls(mark)).toBe(0);
    });

    it('refuses to accept a connection as its source: accepting is for the target (no write)', async () => {
      const created = await gw.post('mutation($s: ID!, $t: ID!) { initiateConnection(input: { sourceEntityId: $s, targetEntityId: $t }) { connection { id } } }', {
        key: GLOBAL_ONLY,
        variables: { s: root, t: uk },
      });
      expect(created.body.errors).toBeUndefined();
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('mutation($c: ID!, $e: ID!) { acceptConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { id } } }', {
        key: GLOBAL_ONLY,
        variables: { c: created.body.data.initiateConnection.connection.id, e: root },
      });
      expect(response.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('for its target entity') });
      expect(writes(mark)).toEqual([]);
    });
  });

  describe('what a key granted one entity sees of its Zuora tenant', () => {
    it("sees the tenant's directory: every entity's name, parent and children", async () => {
      const response = await gw.post('{ entities(first: 500) { totalCount nodes { entityId name parent { entityId } } } }', { key: GLOBAL_ONLY });
      expect(response.body.errors).toBeUndefined();
      const ids = response.body.data.entities.nodes.map((n: { entityId: string }) => n.entityId);
      expect(ids).toEqual(gw.sandbox.fixtures.zuora.tenants[0]!.entities.map((e) => e.id));
      expect(ids).not.toContain(globexRoot);
    });

    it("sees both ends of its own connections by name, and never another company's entity", async () => {
      const response = await gw.post('query($e: ID!) { entity(id: $e) { connections(first: 500) { nodes { source { entityId name } target { entityId name } } } } }', { key: GLOBAL_ONLY, variables: { e: root } });
      expect(response.body.errors).toBeUndefined();
      const ends = response.body.data.entity.connections.nodes.flatMap((c: any) => [c.source, c.target]);
      expect(ends.length).toBeGreaterThan(0);
      expect(ends.every((end: any) => end.entityId === root || end.name !== null)).toBe(true);
      const foreign = await gw.post('query($e: ID!) { entity(id: $e) { name } }', { key: GLOBAL_ONLY, variables: { e: globexRoot } });
      expect(foreign.body.errors[0]).toMatchObject({ path: ['entity'], extensions: { code: 'FORBIDDEN' } });
    });

    it('finds a connection by global id whose source it may not act as, through its own end', async () => {
      // A connection of the seed from another entity of the tenant to the root.
      const seeded = gw.sandbox.fixtures.zuora.tenants[0]!.connections.find((c) => c.targetEntityId === root && c.sourceEntityId !== root)!;
      const source = seeded.sourceEntityId;
      const id = toGlobalId('Connection', source, seeded.id);
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('query($id: ID!) { node(id: $id) { ... on Connection { status source { entityId } target { entityId } } } }', { key: GLOBAL_ONLY, variables: { id } });
      expect(response.body).toEqual({ data: { node: { status: seeded.status.toUpperCase(), source: { entityId: source }, target: { entityId: root } } } });
      // Read as the granted end only.
      expect(gw.sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora' }).every((entry) => entry.tenant?.replaceAll('-', '') === root)).toBe(true);
    });
  });

  describe('a key with an empty grant at one vendor', () => {
    it('runs Zuora and Rev.io fields, and refuses m3ter ones with a message about its grant', async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('{ entities { totalCount } integrationSystems { name } mappingConfiguration { m3terEntities } }', { key: NO_M3TER });
      expect(response.status).toBe(200);
      expect(response.body.data.entities.totalCount).toBeGreaterThan(0);
      expect(response.body.data.integrationSystems.length).toBeGreaterThan(0);
      expect(response.body.data.mappingConfiguration).toBeNull();
      expect(response.body.errors).toEqual([
        expect.objectContaining({ path: ['mappingConfiguration'], message: 'API key "no-m3ter" has no m3ter org in its grant, so m3ter is not available to it', extensions: { code: 'FORBIDDEN' } }),
      ]);
      expect(gw.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter' })).toEqual([]);
    });

    it('answers link lists and lookups from the provider it holds, asking m3ter nothing', async () => {
      const customer = gw.sandbox.fixtures.facts.companies[0]!.customers[0]!;
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post(
        `query($sf: String!, $e: ID!) {
          resolveExternalId(system: "Salesforce", id: $sf) { provider tenant }
          externalLinks(first: 5) { nodes { provider } }
          entity(id: $e) { externalLinks { provider } }
        }`,
        { key: NO_M3TER, variables: { sf: customer.salesforceAccountId, e: root } },
      );
      expect(response.body.errors).toBeUndefined();
      const { resolveExternalId, externalLinks, entity } = response.body.data;
      expect(resolveExternalId.length).toBeGreaterThan(0);
      for (const link of [...resolveExternalId, ...externalLinks.nodes, ...entity.externalLinks]) expect(link.provider).toBe('REVIO');
      expect(resolveExternalId.every((link: { tenant: string }) => link.tenant.toLowerCase() === acmeClient.toLowerCase())).toBe(true);
      expect(gw.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter' })).toEqual([]);
      // The same key naming m3ter explicitly is refused.
      const explicit = await gw.post('{ externalLinks(filter: { provider: M3TER }) { nodes { id } } }', { key: NO_M3TER });
      expect(explicit.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('no m3ter org in its grant') });
      expect(acmeOrg).toBeTruthy();
    });

    it('with no Zuora grant, runs Rev.io fields and refuses Zuora ones', async () => {
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post('{ integrationSystems { name } entities { totalCount } }', { key: REVIO_ONLY });
      expect(response.status).toBe(200);
      expect(response.body.data.integrationSystems.length).toBeGreaterThan(0);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: ['entities'], extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('no Zuora entity in its grant') })]);
      expect(gw.sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora' })).toEqual([]);
      const header = await gw.post('{ integrationSystems { name } }', { key: REVIO_ONLY, headers: { 'interlink-zuora-entity': root } });
      expect(header.status).toBe(403);
    });
  });

  describe('security and audit lines', () => {
    const security = (requestId: string) => gw.logs().filter((line) => line.log === 'security' && line.requestId === requestId);
    const audit = (requestId: string) => gw.logs().filter((line) => line.log === 'audit' && line.requestId === requestId);

    it('logs a refused argument with key, tenant, operation, field and reason, and audits the mutation as denied', async () => {
      await gw.post('mutation($s: ID!, $t: ID!) { initiateConnection(input: { sourceEntityId: $s, targetEntityId: $t, clientMutationId: "deny-1" }) { connection { id } } }', {
        key: GLOBAL_ONLY,
        variables: { s: eu, t: uk },
        headers: { 'x-request-id': 'sec-arg' },
      });
      expect(security('sec-arg')).toEqual([
        expect.objectContaining({
          level: 40,
          keyId: 'global-only',
          tenant: { zuora: root, m3ter: acmeOrg, revio: acmeClient },
          operation: 'initiateConnection',
          path: 'initiateConnection',
          code: 'FORBIDDEN',
          reason: expect.stringContaining('input.sourceEntityId names Zuora entity'),
        }),
      ]);
      expect(audit('sec-arg')).toEqual([expect.objectContaining({ keyId: 'global-only', operation: 'initiateConnection', outcome: 'denied', errorCode: 'FORBIDDEN', idempotencyKey: 'deny-1' })]);
    });

    it('logs a tenant header outside the grant (403) with the key, and audits a mutation refused that way', async () => {
      await gw.post('mutation { deleteExternalLink(input: { id: "x" }) { deletedId } }', { key: GLOBAL_ONLY, headers: { 'x-request-id': 'sec-header', 'interlink-zuora-entity': eu } });
      expect(security('sec-header')).toEqual([
        expect.objectContaining({ keyId: 'global-only', operation: 'deleteExternalLink', path: null, code: 'FORBIDDEN', reason: expect.stringContaining('interlink-zuora-entity names a Zuora entity') }),
      ]);
      // The header is named, its value never repeated (issue 23: a key pasted there would be logged).
      expect(security('sec-header')[0]!.reason).not.toContain(eu);
      expect(audit('sec-header')).toEqual([expect.objectContaining({ keyId: 'global-only', operation: 'deleteExternalLink', outcome: 'denied', errorCode: 'FORBIDDEN' })]);
    });

    it('logs an unauthenticated request (401) without a key id, and never the key itself', async () => {
      await gw.post('{ entities { totalCount } }', { key: 'ilk_wrong_key_that_is_not_configured', headers: { 'x-request-id': 'sec-401' } });
      expect(security('sec-401')).toEqual([expect.objectContaining({ keyId: null, operation: 'entities', code: 'UNAUTHENTICATED', reason: 'The API key is not valid' })]);
      expect(gw.logText()).not.toContain('ilk_wrong_key_that_is_not_configured');
    });
  });
});
