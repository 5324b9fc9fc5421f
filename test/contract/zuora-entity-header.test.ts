import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectFailure, expectSuccess, tokenFor, uuidOf, zuoraCall, zuoraTenant, type ZuoraTenant } from './zuora-helpers.js';

describe('Zuora sandbox: choosing the acting entity', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  let multi: string;
  let single: string;
  let us: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
    us = acme.fixture.entities[1]?.id as string;
    multi = await tokenFor(sandbox, acme.admin);
    single = await tokenFor(sandbox, acme.entityAdmin(1));
  });
  afterAll(() => sandbox.close());

  const get = (token: string, headers: Record<string, string> = {}) => zuoraCall(sandbox, '/v1/entity-connections', { token, headers });
  const actingAs = (res: Awaited<ReturnType<typeof get>>, entity: string) => {
    expectSuccess(res);
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, res.body);
    const expected = acme.fixture.connections.filter((c) => c.sourceEntityId === entity || c.targetEntityId === entity);
    expect(expected.length, 'fixture assumption: the entity has connections').toBeGreaterThan(0);
    expect(res.body.entityConnections.map((c: { id: string }) => c.id)).toEqual(expected.slice(0, 30).map((c) => c.id));
  };

  it('acts as the entity named in Zuora-Entity-Ids, compared case-insensitively', async () => {
    actingAs(await get(multi, { 'Zuora-Entity-Ids': uuidOf(us) }), us);
    actingAs(await get(multi, { 'Zuora-Entity-Ids': uuidOf(us).toUpperCase() }), us);
  });

  it('answers 90000023 when a multi-entity token sends no entity header', async () => {
    expectFailure(await get(multi), 90000023);
  });

  it('answers 90000020 for a 32-hex id, a list or garbage in Zuora-Entity-Ids', async () => {
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': us }), 90000020);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': `${uuidOf(us)},${uuidOf(acme.rootId)}` }), 90000020);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': 'not-an-id' }), 90000020);
  });

  it("answers 90000010 for an entity outside the token's scope", async () => {
    expectFailure(await get(single, { 'Zuora-Entity-Ids': uuidOf(acme.rootId) }), 90000010);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': uuidOf('0'.repeat(32)) }), 90000010);
  });

  it('lets a single-entity token omit the header, or name its own entity', async () => {
    actingAs(await get(single), us);
    actingAs(await get(single, { 'Zuora-Entity-Ids': uuidOf(us) }), us);
  });

  it('accepts the legacy entityId (32 hex) header alone, with the same scope rules', async () => {
    actingAs(await get(multi, { entityId: us }), us);
    expectFailure(await get(multi, { entityId: uuidOf(us) }), 90000020);
    expectFailure(await get(single, { entityId: acme.rootId }), 90000010);
  });

  it('accepts the legacy entityName header alone, with the same scope rules', async () => {
    const name = acme.fixture.entities[1]?.name as string;
    actingAs(await get(multi, { entityName: name }), us);
    expectFailure(await get(single, { entityName: acme.fixture.entities[0]?.name as string }), 90000010);
    expectFailure(await get(multi, { entityName: 'No Such Entity' }), 90000010);
  });

  it('answers HTTP 400 with a category-20 envelope for a legacy header together with Zuora-Entity-Ids', async () => {
    const res = await get(multi, { 'Zuora-Entity-Ids': uuidOf(us), entityId: us });
    expectFailure(res, 90000020, 400);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': uuidOf(us), entityName: 'x' }), 90000020, 400);
  });

  it('answers HTTP 400 with a category-20 envelope for both legacy headers', async () => {
    const name = acme.fixture.entities[1]?.name as string;
    expectFailure(await get(multi, { entityId: us, entityName: name }), 90000020, 400);
  });

  it('checks the bearer token before the entity header', async () => {
    const res = await zuoraCall(sandbox, '/v1/entity-connections', { headers: { 'Zuora-Entity-Ids': 'garbage' } });
    expect(res.status).toBe(401);
  });
});
