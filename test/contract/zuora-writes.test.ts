import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildFixtures } from '../../sandbox/fixtures/index.js';
import type { RequestEnv, SandboxRequest } from '../../sandbox/core/types.js';
import { createZuoraApp } from '../../sandbox/zuora/app.js';
import { IdempotencyStore } from '../../sandbox/zuora/idempotency-store.js';
import { http } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectFailure, expectSuccess, hyphenated, sessionFor, type TenantFixture, tenantFixture, tokenFor, zuoraCall, type ZuoraSession } from '../helpers/vendors/zuora.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const TRANSITION = '/v1/entity-connections/{connection-id}';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('Zuora sandbox: managing entities', () => {
  const sandbox = withSandbox();
  let acme: TenantFixture;
  let global: ZuoraSession;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
  });
  beforeEach(async () => {
    global = await sessionFor(sandbox, acme.admin, acme.rootId);
  });

  const draft = (overrides: Record<string, unknown> = {}) => ({ name: 'Acme Telecom Mexico', parentId: acme.rootId, locale: 'es_MX', timezone: 'America/Mexico_City', ...overrides });
  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await global.call('/v1/entities', { method: 'POST', body: draft(overrides) });
    expectSuccess(res);
    return res.body.id as string;
  };

  it('creates an Unprovisioned entity with a 32-hex id, displayName defaulting to name', async () => {
    const res = await global.call('/v1/entities', { method: 'POST', body: draft() });
    expectSuccess(res);
    expectMatchesSpec('zuora', 'POST', '/v1/entities', 200, res.body);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'Acme Telecom Mexico',
      displayName: 'Acme Telecom Mexico',
      locale: 'es_MX',
      timezone: 'America/Mexico_City',
      status: 'Unprovisioned',
      parentId: acme.rootId,
      tenantId: acme.fixture.tenantId,
      success: true,
    });
    const read = await global.call(`/v1/entities/${res.body.id}`);
    expect(read.body).toMatchObject({ id: res.body.id, status: 'Unprovisioned' });
  });

  it('answers 50000010 when the caller is not a global admin', async () => {
    const reader = await sessionFor(sandbox, acme.reader, acme.rootId);
    expectFailure(await reader.call('/v1/entities', { method: 'POST', body: draft() }), 50000010);
    // An admin, but acting as a non-root entity.
    const regional = await sessionFor(sandbox, acme.admin, acme.fixture.entities[1]?.id as string);
    expectFailure(await regional.call('/v1/entities', { method: 'POST', body: draft() }), 50000010);
    const id = acme.fixture.entities[2]?.id;
    expectFailure(await regional.call(`/v1/entities/${id}`, { method: 'PUT', body: { displayName: 'x' } }), 50000010);
    expectFailure(await regional.call(`/v1/entities/${id}`, { method: 'DELETE' }), 50000010);
    expectFailure(await regional.call(`/v1/entities/${id}/provision`, { method: 'PUT' }), 50000010);
  });

  it('answers 50000020 for a bad name, locale or time zone', async () => {
    for (const body of [draft({ name: 'Acme/Mexico' }), draft({ name: 'x'.repeat(256) }), draft({ name: '' }), draft({ locale: 'Spanish' }), draft({ timezone: 'Mars/Olympus' }), draft({ name: 42 })]) {
      expectFailure(await global.call('/v1/entities', { method: 'POST', body }), 50000020);
    }
  });

  it('answers 50000030 for a duplicate name, compared case-insensitively', async () => {
    const taken = acme.fixture.entities[1]?.name as string;
    expectFailure(await global.call('/v1/entities', { method: 'POST', body: draft({ name: taken.toUpperCase() }) }), 50000030);
  });

  it('answers 50000040 for an unknown parent', async () => {
    expectFailure(await global.call('/v1/entities', { method: 'POST', body: draft({ parentId: 'b'.repeat(32) }) }), 50000040);
  });

  it('answers 50000022, 50000021 and 50000090 for missing fields, unknown fields and bad JSON', async () => {
    const { locale: _locale, ...withoutLocale } = draft();
    expectFailure(await global.call('/v1/entities', { method: 'POST', body: withoutLocale }), 50000022);
    expectFailure(await global.call('/v1/entities', { method: 'POST', body: draft({ colour: 'blue' }) }), 50000021);
    const badJson = { 'content-type': 'application/json' };
    expectFailure(await global.call('/v1/entities', { method: 'POST', body: '{"name":', headers: badJson }), 50000090);
    expectFailure(await global.call('/v1/entities', { method: 'POST', body: '[1,2]', headers: badJson }), 50000090);
  });

  it('updates names and, before provisioning, locale and time zone', async () => {
    const id = await create();
    const res = await global.call(`/v1/entities/${id}`, { method: 'PUT', body: { name: 'Acme MX', displayName: 'Acme Mexico', locale: 'en_US', timezone: 'GMT' } });
    expectSuccess(res);
    expectMatchesSpec('zuora', 'PUT', '/v1/entities/{id}', 200, res.body);
    expect(res.body).toEqual({ success: true });
    const read = await global.call(`/v1/entities/${id}`);
    expect(read.body).toMatchObject({ name: 'Acme MX', displayName: 'Acme Mexico', locale: 'en_US', timezone: 'GMT' });
  });

  it('answers 50000030 for locale or time zone on a provisioned entity, and for renaming the root for display', async () => {
    const provisioned = acme.fixture.entities[1]?.id;
    expectFailure(await global.call(`/v1/entities/${provisioned}`, { method: 'PUT', body: { locale: 'fr_FR' } }), 50000030);
    expectFailure(await global.call(`/v1/entities/${provisioned}`, { method: 'PUT', body: { timezone: 'GMT' } }), 50000030);
    expectSuccess(await global.call(`/v1/entities/${provisioned}`, { method: 'PUT', body: { displayName: 'Renamed' } }));
    expectFailure(await global.call(`/v1/entities/${acme.rootId}`, { method: 'PUT', body: { displayName: 'New Root Name' } }), 50000030);
  });

  it('answers 50000030 when an update takes a name already in use', async () => {
    const id = await create();
    const taken = acme.fixture.entities[2]?.name as string;
    expectFailure(await global.call(`/v1/entities/${id}`, { method: 'PUT', body: { name: taken.toLowerCase() } }), 50000030);
  });

  it('answers 50000040, 50000021 and 50000020 on update for an unknown id, unknown field and bad value', async () => {
    expectFailure(await global.call(`/v1/entities/${'c'.repeat(32)}`, { method: 'PUT', body: { displayName: 'x' } }), 50000040);
    const id = await create();
    expectFailure(await global.call(`/v1/entities/${id}`, { method: 'PUT', body: { status: 'Provisioned' } }), 50000021);
    expectFailure(await global.call(`/v1/entities/${id}`, { method: 'PUT', body: { name: 'bad/name' } }), 50000020);
  });

  it('provisions an entity under a provisioned parent, once', async () => {
    const id = await create();
    const res = await global.call(`/v1/entities/${id}/provision`, { method: 'PUT' });
    expectSuccess(res);
    expectMatchesSpec('zuora', 'PUT', '/v1/entities/{id}/provision', 200, res.body);
    expect((await global.call(`/v1/entities/${id}`)).body.status).toBe('Provisioned');
    expectFailure(await global.call(`/v1/entities/${id}/provision`, { method: 'PUT' }), 50000030);
  });

  it('answers 50000030 when provisioning below an unprovisioned parent, and 50000040 for an unknown id', async () => {
    const parent = await create();
    const child = await create({ name: 'Acme Telecom Mexico North', parentId: parent });
    expectFailure(await global.call(`/v1/entities/${child}/provision`, { method: 'PUT' }), 50000030);
    expectFailure(await global.call(`/v1/entities/${'d'.repeat(32)}/provision`, { method: 'PUT' }), 50000040);
  });

  it('deletes an unprovisioned entity together with its descendants', async () => {
    const parent = await create();
    const child = await create({ name: 'Acme Telecom Mexico North', parentId: parent });
    const res = await global.call(`/v1/entities/${parent}`, { method: 'DELETE' });
    expectSuccess(res);
    expectMatchesSpec('zuora', 'DELETE', '/v1/entities/{id}', 200, res.body);
    expectFailure(await global.call(`/v1/entities/${parent}`), 50000040);
    expectFailure(await global.call(`/v1/entities/${child}`), 50000040);
    const list = await global.call('/v1/entities');
    expect(list.body.entities).toHaveLength(acme.fixture.entities.length);
  });

  it('answers 50000030 when deleting a provisioned entity, and 50000040 for an unknown one', async () => {
    expectFailure(await global.call(`/v1/entities/${acme.fixture.entities[1]?.id}`, { method: 'DELETE' }), 50000030);
    expectFailure(await global.call(`/v1/entities/${acme.rootId}`, { method: 'DELETE' }), 50000030);
    expectFailure(await global.call(`/v1/entities/${'e'.repeat(32)}`, { method: 'DELETE' }), 50000040);
  });

  it('lets a global admin act as a newly created entity with a fresh token', async () => {
    const id = await create();
    const session = await sessionFor(sandbox, acme.admin, id);
    expectSuccess(await session.call('/v1/entity-connections'));
  });
});

describe('Zuora sandbox: creating and changing entity connections', () => {
  const sandbox = withSandbox();
  let acme: TenantFixture;
  let source: string;
  let target: string;
  let bystander: string;
  let asSource: ZuoraSession;
  let asTarget: ZuoraSession;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
    // A directed pair with no Pending or Connected connection yet, and a third entity.
    const ids = acme.fixture.entities.map((e) => e.id);
    const open = new Set(acme.fixture.connections.filter((c) => c.status !== 'Disconnected').map((c) => `${c.sourceEntityId}>${c.targetEntityId}`));
    const pair = ids.flatMap((s) => ids.map((t) => [s, t] as const)).find(([s, t]) => s !== t && !open.has(`${s}>${t}`));
    if (!pair) throw new Error('fixture assumption: some pair of entities is not connected');
    [source, target] = pair;
    bystander = ids.find((id) => id !== source && id !== target) as string;
  });
  beforeEach(async () => {
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

describe('Zuora sandbox: Idempotency-Key on POST', () => {
  const sandbox = withSandbox();
  let acme: TenantFixture;
  let global: ZuoraSession;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
  });
  beforeEach(async () => {
    global = await sessionFor(sandbox, acme.admin, acme.rootId);
  });

  let counter = 0;
  const draft = () => ({ name: `Acme Branch ${++counter}`, parentId: acme.rootId, locale: 'en_US', timezone: 'GMT' });
  const post = (session: ZuoraSession, key: string, body: unknown = draft(), path = '/v1/entities') =>
    session.call(path, { method: 'POST', body, headers: { 'Idempotency-Key': key } });
  const entityCount = async () => (await global.call('/v1/entities')).body.entities.length as number;

  it('answers a replay of a finished request with 409 and the original body, byte for byte', async () => {
    const first = await post(global, 'create-branch-1');
    expectSuccess(first);
    expectMatchesSpec('zuora', 'POST', '/v1/entities', 200, first.body);
    // Bodies are not compared: a different body under the same key still replays the first result.
    const replay = await post(global, 'create-branch-1');
    expect(replay.status).toBe(409);
    expect(replay.text).toBe(first.text);
    expect(replay.headers['content-type']).toMatch(/application\/json/);
    expect(await entityCount()).toBe(acme.fixture.entities.length + 1);
  });

  it('replays a stored failure the same way', async () => {
    const first = await post(global, 'bad-branch', { name: 'bad/name', parentId: acme.rootId, locale: 'en_US', timezone: 'GMT' });
    expectFailure(first, 50000020);
    const replay = await post(global, 'bad-branch', draft());
    expect(replay.status).toBe(409);
    expect(replay.text).toBe(first.text);
    expect(await entityCount()).toBe(acme.fixture.entities.length);
  });

  it('replays connection creates too', async () => {
    const open = new Set(acme.fixture.connections.filter((c) => c.status !== 'Disconnected').map((c) => `${c.sourceEntityId}>${c.targetEntityId}`));
    const ids = acme.fixture.entities.map((e) => e.id);
    const [source, target] = ids.flatMap((s) => ids.map((t) => [s, t] as const)).find(([s, t]) => s !== t && !open.has(`${s}>${t}`)) ?? [];
    if (!source || !target) throw new Error('fixture assumption: some pair of entities is not connected');
    const asSource = await sessionFor(sandbox, acme.admin, source);
    const first = await post(asSource, 'connect-1', { targetEntityId: target }, '/v1/entity-connections');
    expectSuccess(first);
    expectMatchesSpec('zuora', 'POST', '/v1/entity-connections', 200, first.body);
    const replay = await post(asSource, 'connect-1', { targetEntityId: target }, '/v1/entity-connections');
    expect(replay.status).toBe(409);
    expect(replay.text).toBe(first.text);
    const outbound = await asSource.call('/v1/entity-connections?type=outbound&pageSize=300');
    expect(outbound.body.entityConnections.filter((c: { targetEntityId: string; status: string }) => c.targetEntityId === target && c.status === 'Pending')).toHaveLength(1);
  });

  it('answers 422 with 50000020 when the key was first used on another path or method', async () => {
    const first = await post(global, 'shared-key');
    expectSuccess(first);
    const otherPath = await post(global, 'shared-key', { targetEntityId: acme.fixture.entities[1]?.id }, '/v1/entity-connections');
    expectFailure(otherPath, 50000020, 422);
    const otherMethod = await global.call(`/v1/entities/${first.body.id}`, { method: 'PUT', body: { displayName: 'x' }, headers: { 'Idempotency-Key': 'shared-key' } });
    expectFailure(otherMethod, 50000020, 422);
  });

  it('scopes keys per OAuth client', async () => {
    // The root entity's own admin is a second global admin.
    const other = await sessionFor(sandbox, acme.entityAdmin(0), acme.rootId);
    expectSuccess(await post(global, 'per-client'));
    const fresh = await post(other, 'per-client');
    expectSuccess(fresh);
    expect(await entityCount()).toBe(acme.fixture.entities.length + 2);
  });

  it('forgets a key after 24 hours of sandbox time', async () => {
    const first = await post(global, 'aging-key');
    sandbox.advanceClock(DAY_MS - 60_000);
    let session = await sessionFor(sandbox, acme.admin, acme.rootId);
    expect((await post(session, 'aging-key')).text).toBe(first.text);
    sandbox.advanceClock(60_000);
    session = await sessionFor(sandbox, acme.admin, acme.rootId);
    const later = await post(session, 'aging-key');
    expectSuccess(later);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('does not store calls refused before the operation ran (auth or entity header)', async () => {
    const token = await tokenFor(sandbox, acme.admin);
    const noEntity = await zuoraCall(sandbox, '/v1/entities', { method: 'POST', token, body: draft(), headers: { 'Idempotency-Key': 'header-first' } });
    expectFailure(noEntity, 90000023);
    const retried = await zuoraCall(sandbox, '/v1/entities', { method: 'POST', token, entity: acme.rootId, body: draft(), headers: { 'Idempotency-Key': 'header-first' } });
    expectSuccess(retried);
  });

  it('accepts keys of up to 255 characters and answers 50000020 for longer ones', async () => {
    expectSuccess(await post(global, 'k'.repeat(255)));
    expectFailure(await post(global, 'k'.repeat(256)), 50000020);
  });

  it('answers 409 with code 50000050 to a replay that arrives while the first request is still running', async () => {
    sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 300, times: 1 }] });
    const slow = post(global, 'overlap');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const overtaking = await post(global, 'overlap');
    expect(overtaking.status).toBe(409);
    expect(overtaking.body).toMatchObject({ success: false, reasons: [{ code: 50000050 }] });
    const first = await slow;
    expectSuccess(first);
    // Once the first has finished, a replay gets its result byte for byte.
    const later = await post(global, 'overlap');
    expect(later.status).toBe(409);
    expect(later.text).toBe(first.text);
    expect(await entityCount()).toBe(acme.fixture.entities.length + 1);
  });

  it('frees a key whose first request hung before it ran, so a retry runs it', async () => {
    sandbox.setFaults('zuora', { rules: [{ kind: 'hang', hangMs: 100, times: 1, match: { method: 'POST' } }] });
    await expect(post(global, 'never-ran')).rejects.toThrow();
    expectSuccess(await post(global, 'never-ran'));
    expect(await entityCount()).toBe(acme.fixture.entities.length + 1);
  });

  it('stores the result of a write whose connection then hangs, so the retry gets 409 and the original', async () => {
    sandbox.setFaults('zuora', { rules: [{ kind: 'apply-then-hang', hangMs: 100, times: 1, match: { method: 'POST', path: '^/v1/entities$' } }] });
    await expect(post(global, 'hung-write')).rejects.toThrow();
    const retry = await post(global, 'hung-write');
    expect(retry.status).toBe(409);
    expect(JSON.parse(retry.text)).toMatchObject({ success: true, id: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'Unprovisioned' });
    expect(await entityCount()).toBe(acme.fixture.entities.length + 1);
  });
});

describe('Zuora idempotency records', () => {
  it('reports a key whose first request has not finished as in flight, then replays its result', () => {
    const store = new IdempotencyStore(DAY_MS);
    const first = store.begin('client', 'key', 'POST', '/v1/entities', 0);
    if (first.kind !== 'first') throw new Error(`expected a first use, got ${first.kind}`);
    expect(store.begin('client', 'key', 'POST', '/v1/entities', 10).kind).toBe('in-flight');
    expect(store.begin('client', 'key', 'POST', '/v1/entity-connections', 10).kind).toBe('mismatch');
    first.finish({ status: 200, body: '{"success":true}' });
    expect(store.begin('client', 'key', 'POST', '/v1/entities', 20)).toEqual({ kind: 'replay', result: { status: 200, body: '{"success":true}' } });
    expect(store.begin('other-client', 'key', 'POST', '/v1/entities', 20).kind).toBe('first');
  });

  it('frees a key whose first request failed inside the simulator', () => {
    const store = new IdempotencyStore(DAY_MS);
    const first = store.begin('client', 'key', 'POST', '/v1/entities', 0);
    if (first.kind !== 'first') throw new Error(`expected a first use, got ${first.kind}`);
    first.abandon();
    expect(store.begin('client', 'key', 'POST', '/v1/entities', 1).kind).toBe('first');
  });

  it('honours the idempotencyTtlMs option of createZuoraApp', async () => {
    const fixtures = buildFixtures();
    const app = createZuoraApp(fixtures.zuora, { idempotencyTtlMs: 1_000 });
    const tenant = fixtures.zuora.tenants[0];
    const admin = tenant?.clients[0];
    if (!tenant || !admin) throw new Error('fixture assumption: a tenant with an admin client');
    const env = (now: number): RequestEnv => ({ baseUrl: 'http://sandbox.invalid', now, tokenLifetimeS: undefined });
    const request = (method: string, path: string, headers: Record<string, string>, body: string): SandboxRequest => ({
      method,
      path,
      query: new URLSearchParams(),
      headers,
      body: Buffer.from(body),
    });
    const form = new URLSearchParams({ client_id: admin.clientId, client_secret: admin.clientSecret, grant_type: 'client_credentials' });
    const issued = await app.handle(request('POST', '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' }, form.toString()), env(0));
    const token = (issued.body as { access_token: string }).access_token;
    const create = (name: string, now: number) =>
      app.handle(
        request('POST', '/v1/entities', { authorization: `Bearer ${token}`, 'zuora-entity-ids': hyphenated(tenant.entities[0]?.id as string), 'idempotency-key': 'k' }, JSON.stringify({ name, parentId: tenant.entities[0]?.id, locale: 'en_US', timezone: 'GMT' })),
        env(now),
      );
    expect((await create('Short Lived One', 0)).status).toBe(200);
    expect((await create('Short Lived Two', 999)).status).toBe(409);
    expect((await create('Short Lived Three', 1_000)).status).toBe(200);
  });
});
