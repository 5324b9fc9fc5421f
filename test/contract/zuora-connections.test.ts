import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectFailure, expectSuccess, sessionFor, zuoraTenant, type ZuoraSession, type ZuoraTenant } from './zuora-helpers.js';

const TRANSITION = '/v1/entity-connections/{connection-id}';

describe('Zuora sandbox: listing entity connections', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  let entity: string;
  let session: ZuoraSession;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
    entity = acme.fixture.entities[1]?.id as string;
    session = await sessionFor(sandbox, acme.reader, entity);
  });
  afterAll(() => sandbox.close());

  const seeded = (filter: (c: { sourceEntityId: string; targetEntityId: string }) => boolean) => acme.fixture.connections.filter(filter);

  it("lists the acting entity's connections in both directions, oldest first, Disconnected included", async () => {
    const res = await session.call('/v1/entity-connections');
    expectSuccess(res);
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, res.body);
    const expected = seeded((c) => c.sourceEntityId === entity || c.targetEntityId === entity);
    expect(res.body.entityConnections).toEqual(expected);
    expect(res.body.nextPage).toBeUndefined();
  });

  it('lists only inbound or only outbound connections on request', async () => {
    const inbound = await session.call('/v1/entity-connections?type=inbound');
    const outbound = await session.call('/v1/entity-connections?type=outbound');
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, inbound.body);
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, outbound.body);
    expect(inbound.body.entityConnections).toEqual(seeded((c) => c.targetEntityId === entity));
    expect(outbound.body.entityConnections).toEqual(seeded((c) => c.sourceEntityId === entity));
  });

  it('answers 50000027 for an unknown type', async () => {
    expectFailure(await session.call('/v1/entity-connections?type=sideways'), 50000027);
  });
});

describe('Zuora sandbox: creating and changing entity connections', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  let source: string;
  let target: string;
  let bystander: string;
  let asSource: ZuoraSession;
  let asTarget: ZuoraSession;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
    // A directed pair with no Pending or Connected connection yet, and a third entity.
    const ids = acme.fixture.entities.map((e) => e.id);
    const open = new Set(acme.fixture.connections.filter((c) => c.status !== 'Disconnected').map((c) => `${c.sourceEntityId}>${c.targetEntityId}`));
    const pair = ids.flatMap((s) => ids.map((t) => [s, t] as const)).find(([s, t]) => s !== t && !open.has(`${s}>${t}`));
    if (!pair) throw new Error('fixture assumption: some pair of entities is not connected');
    [source, target] = pair;
    bystander = ids.find((id) => id !== source && id !== target) as string;
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    asSource = await sessionFor(sandbox, acme.admin, source);
    asTarget = await sessionFor(sandbox, acme.admin, target);
  });

  const connect = async () => {
    const res = await asSource.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: target } });
    expectSuccess(res);
    return res.body.id as string;
  };
  const put = (session: ZuoraSession, id: string, action: string) => session.call(`/v1/entity-connections/${id}/${action}`, { method: 'PUT' });
  const statusOf = async (id: string) => {
    const list = await asSource.call('/v1/entity-connections?pageSize=300');
    return list.body.entityConnections.find((c: { id: string }) => c.id === id)?.status;
  };

  it('creates a Pending connection that shows last in both entities\' lists', async () => {
    const res = await asSource.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: target } });
    expectSuccess(res);
    expectMatchesSpec('zuora', 'POST', '/v1/entity-connections', 200, res.body);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), success: true });
    const outbound = await asSource.call('/v1/entity-connections?type=outbound&pageSize=300');
    const inbound = await asTarget.call('/v1/entity-connections?type=inbound&pageSize=300');
    const row = { id: res.body.id, sourceEntityId: source, targetEntityId: target, status: 'Pending' };
    expect(outbound.body.entityConnections.at(-1)).toEqual(row);
    expect(inbound.body.entityConnections.at(-1)).toEqual(row);
  });

  it('lets the target accept a Pending connection, once', async () => {
    const id = await connect();
    const res = await put(asTarget, id, 'accept');
    expectSuccess(res);
    expectMatchesSpec('zuora', 'PUT', `${TRANSITION}/accept`, 200, res.body);
    expect(await statusOf(id)).toBe('Connected');
    expectFailure(await put(asTarget, id, 'accept'), 50000030);
    expectFailure(await put(asTarget, id, 'deny'), 50000030);
  });

  it('lets the target deny a Pending connection, which becomes Disconnected', async () => {
    const id = await connect();
    const res = await put(asTarget, id, 'deny');
    expectSuccess(res);
    expectMatchesSpec('zuora', 'PUT', `${TRANSITION}/deny`, 200, res.body);
    expect(await statusOf(id)).toBe('Disconnected');
    expectFailure(await put(asTarget, id, 'accept'), 50000030);
  });

  it('answers 50000010 when the source tries to accept or deny', async () => {
    const id = await connect();
    expectFailure(await put(asSource, id, 'accept'), 50000010);
    expectFailure(await put(asSource, id, 'deny'), 50000010);
    expect(await statusOf(id)).toBe('Pending');
  });

  it('answers 50000010 when a non-admin of the target accepts', async () => {
    const id = await connect();
    const reader = await sessionFor(sandbox, acme.reader, target);
    expectFailure(await put(reader, id, 'accept'), 50000010);
  });

  it('lets either side disconnect a Connected connection, and only a Connected one', async () => {
    const first = await connect();
    expectFailure(await put(asSource, first, 'disconnect'), 50000030);
    expectSuccess(await put(asTarget, first, 'accept'));
    const res = await put(asSource, first, 'disconnect');
    expectSuccess(res);
    expectMatchesSpec('zuora', 'PUT', `${TRANSITION}/disconnect`, 200, res.body);
    expect(await statusOf(first)).toBe('Disconnected');
    expectFailure(await put(asTarget, first, 'disconnect'), 50000030);

    // The pair may connect again once the old connection is Disconnected.
    const second = await connect();
    expectSuccess(await put(asTarget, second, 'accept'));
    expectSuccess(await put(asTarget, second, 'disconnect'));
  });

  it('answers 50000040 for a connection the acting entity is not part of, or an unknown one', async () => {
    const id = await connect();
    const outsider = await sessionFor(sandbox, acme.admin, bystander);
    for (const action of ['accept', 'deny', 'disconnect']) {
      expectFailure(await put(outsider, id, action), 50000040);
      expectFailure(await put(asTarget, 'f'.repeat(32), action), 50000040);
    }
  });

  it('answers 50000030 for a second open connection, a self-connection or an unprovisioned entity', async () => {
    await connect();
    expectFailure(await asSource.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: target } }), 50000030);
    expectFailure(await asSource.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: source } }), 50000030);
    const global = await sessionFor(sandbox, acme.admin, acme.rootId);
    const created = await global.call('/v1/entities', { method: 'POST', body: { name: 'Acme Telecom Draft', parentId: acme.rootId, locale: 'en_US', timezone: 'GMT' } });
    expectSuccess(created);
    const fresh = await sessionFor(sandbox, acme.admin, source);
    expectFailure(await fresh.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: created.body.id } }), 50000030);
  });

  it('answers 50000040 for an unknown target', async () => {
    expectFailure(await asSource.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: '0'.repeat(32) } }), 50000040);
  });

  it('answers 50000010 without admin rights on the source or access to the target', async () => {
    const reader = await sessionFor(sandbox, acme.reader, source);
    expectFailure(await reader.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: target } }), 50000010);
    const sourceOnly = await sessionFor(sandbox, acme.entityAdmin(acme.fixture.entities.findIndex((e) => e.id === source)), source);
    expectFailure(await sourceOnly.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: target } }), 50000010);
  });

  it('answers 50000022, 50000021, 50000020 and 50000090 for bad bodies', async () => {
    const post = (body: unknown, headers?: Record<string, string>) => asSource.call('/v1/entity-connections', { method: 'POST', body, ...(headers ? { headers } : {}) });
    expectFailure(await post({}), 50000022);
    expectFailure(await post({ targetEntityId: target, permissions: ['all'] }), 50000021);
    expectFailure(await post({ targetEntityId: `${target}0` }), 50000020);
    expectFailure(await post({ targetEntityId: 7 }), 50000020);
    expectFailure(await post('not json', { 'content-type': 'application/json' }), 50000090);
  });
});
