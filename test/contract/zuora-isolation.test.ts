import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { expectFailure, expectSuccess, sessionFor, tokenRequest, uuidOf, zuoraCall, zuoraTenant, type ZuoraSession, type ZuoraTenant } from './zuora-helpers.js';

describe('Zuora sandbox: tenant isolation', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  let globex: ZuoraTenant;
  let acmeAdmin: ZuoraSession;
  let globexAdmin: ZuoraSession;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
    globex = zuoraTenant(sandbox, 1);
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    acmeAdmin = await sessionFor(sandbox, acme.admin, acme.rootId);
    globexAdmin = await sessionFor(sandbox, globex.admin, globex.rootId);
  });

  it("lists only the caller's own tenant's entities", async () => {
    const res = await acmeAdmin.call('/v1/entities');
    expect(res.body.entities.map((e: { id: string }) => e.id)).toEqual(acme.fixture.entities.map((e) => e.id));
    expect(new Set(res.body.entities.map((e: { tenantId: string }) => e.tenantId))).toEqual(new Set([acme.fixture.tenantId]));
  });

  it("answers 50000040 for another tenant's entity by id, on every entity operation", async () => {
    const theirs = globex.fixture.entities[1]?.id as string;
    expectFailure(await acmeAdmin.call(`/v1/entities/${theirs}`), 50000040);
    expectFailure(await acmeAdmin.call(`/v1/entities/${theirs}`, { method: 'PUT', body: { displayName: 'Hijacked' } }), 50000040);
    expectFailure(await acmeAdmin.call(`/v1/entities/${theirs}`, { method: 'DELETE' }), 50000040);
    expectFailure(await acmeAdmin.call(`/v1/entities/${theirs}/provision`, { method: 'PUT' }), 50000040);
    expectFailure(await acmeAdmin.call('/v1/entities', { method: 'POST', body: { name: 'Intruder', parentId: theirs, locale: 'en_US', timezone: 'GMT' } }), 50000040);
    const unchanged = await globexAdmin.call(`/v1/entities/${theirs}`);
    expect(unchanged.body).toEqual({ ...globex.fixture.entities[1], success: true });
  });

  it("answers 90000010 when a client names another tenant's entity in the entity header", async () => {
    const res = await zuoraCall(sandbox, '/v1/entity-connections', { token: acmeAdmin.token, entity: globex.rootId });
    expectFailure(res, 90000010);
    const legacy = await zuoraCall(sandbox, '/v1/entity-connections', { token: acmeAdmin.token, headers: { entityName: globex.fixture.entities[0]?.name as string } });
    expectFailure(legacy, 90000010);
  });

  it("refuses a token scoped to another tenant's entity", async () => {
    const res = await tokenRequest(sandbox, acme.admin, { 'Zuora-Entity-Ids': uuidOf(globex.rootId) });
    expect(res.status).toBe(400);
  });

  it("never connects to, or changes, another tenant's connections", async () => {
    expectFailure(await acmeAdmin.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: globex.rootId } }), 50000040);
    const theirs = globex.fixture.connections[0];
    if (!theirs) throw new Error('fixture assumption: tenant B has connections');
    for (const action of ['accept', 'deny', 'disconnect']) {
      for (const entity of acme.fixture.entities) {
        const res = await zuoraCall(sandbox, `/v1/entity-connections/${theirs.id}/${action}`, { method: 'PUT', token: acmeAdmin.token, entity: entity.id });
        expectFailure(res, 50000040);
      }
    }
    const asSource = await sessionFor(sandbox, globex.admin, theirs.sourceEntityId);
    const list = await asSource.call('/v1/entity-connections?type=outbound&pageSize=300');
    expect(list.body.entityConnections.find((c: { id: string }) => c.id === theirs.id)).toEqual(theirs);
  });

  it("never lists another tenant's connections", async () => {
    const globexIds = new Set(globex.fixture.connections.map((c) => c.id));
    for (const entity of acme.fixture.entities) {
      const res = await zuoraCall(sandbox, '/v1/entity-connections?pageSize=300', { token: acmeAdmin.token, entity: entity.id });
      expectSuccess(res);
      for (const row of res.body.entityConnections) expect(globexIds.has(row.id)).toBe(false);
    }
  });

  it('keeps entity names unique per tenant only', async () => {
    const name = acme.fixture.entities[1]?.name as string;
    const res = await globexAdmin.call('/v1/entities', { method: 'POST', body: { name, parentId: globex.rootId, locale: 'en_US', timezone: 'GMT' } });
    expectSuccess(res);
    expect(res.body.tenantId).toBe(globex.fixture.tenantId);
  });
});
