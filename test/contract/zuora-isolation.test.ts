import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectFailure, expectSuccess, hyphenated, sessionFor, type TenantFixture, tenantFixture, tokenRequest, zuoraCall, type ZuoraSession } from '../helpers/vendors/zuora.js';
import { withSandbox } from '../helpers/with-sandbox.js';

describe('Zuora sandbox: tenant isolation', () => {
  const sandbox = withSandbox();
  let acme: TenantFixture;
  let globex: TenantFixture;
  let acmeAdmin: ZuoraSession;
  let globexAdmin: ZuoraSession;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
    globex = tenantFixture(sandbox, 1);
  });
  beforeEach(async () => {
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

  it("answers 400 {message} to a token call that names another tenant's entity in its entity header", async () => {
    const res = await tokenRequest(sandbox, acme.admin, { 'Zuora-Entity-Ids': hyphenated(globex.rootId) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String) });
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
