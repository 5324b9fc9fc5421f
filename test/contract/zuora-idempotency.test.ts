import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { buildFixtures } from '../../sandbox/fixtures/index.js';
import type { RequestEnv, SandboxRequest } from '../../sandbox/core/types.js';
import { createZuoraApp } from '../../sandbox/zuora/app.js';
import { IdempotencyStore } from '../../sandbox/zuora/idempotency-store.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectFailure, expectSuccess, sessionFor, tokenFor, uuidOf, zuoraCall, zuoraTenant, type ZuoraSession, type ZuoraTenant } from './zuora-helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('Zuora sandbox: Idempotency-Key on POST', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  let global: ZuoraSession;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
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
        request('POST', '/v1/entities', { authorization: `Bearer ${token}`, 'zuora-entity-ids': uuidOf(tenant.entities[0]?.id as string), 'idempotency-key': 'k' }, JSON.stringify({ name, parentId: tenant.entities[0]?.id, locale: 'en_US', timezone: 'GMT' })),
        env(now),
      );
    expect((await create('Short Lived One', 0)).status).toBe(200);
    expect((await create('Short Lived Two', 999)).status).toBe(409);
    expect((await create('Short Lived Three', 1_000)).status).toBe(200);
  });
});
