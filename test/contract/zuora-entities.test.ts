import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { http } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectFailure, expectSuccess, sessionFor, zuoraTenant, type ZuoraSession, type ZuoraTenant } from './zuora-helpers.js';

describe('Zuora sandbox: reading entities', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  let reader: ZuoraSession;
  beforeAll(async () => {
    // Medium seeds some unprovisioned entities for the filter to find.
    sandbox = await startSandbox({ limits: 'off', size: 'medium' });
    acme = zuoraTenant(sandbox, 0);
    // Any caller may read: a non-admin acting as a leaf entity.
    reader = await sessionFor(sandbox, acme.reader, acme.fixture.entities[3]?.id as string);
  });
  afterAll(() => sandbox.close());

  it('lists every entity of the tenant, root first, in the seeded shape', async () => {
    const res = await reader.call('/v1/entities');
    expectSuccess(res);
    expectMatchesSpec('zuora', 'GET', '/v1/entities', 200, res.body);
    expect(res.body.entities).toEqual(acme.fixture.entities);
    expect(res.body.entities[0].parentId).toBeNull();
  });

  it('filters on provisioned=true and provisioned=false (strings)', async () => {
    const yes = await reader.call('/v1/entities?provisioned=true');
    const no = await reader.call('/v1/entities?provisioned=false');
    expectMatchesSpec('zuora', 'GET', '/v1/entities', 200, yes.body);
    expectMatchesSpec('zuora', 'GET', '/v1/entities', 200, no.body);
    expect(no.body.entities.length, 'fixture assumption: some entities are unprovisioned').toBeGreaterThan(0);
    expect(yes.body.entities.length + no.body.entities.length).toBe(acme.fixture.entities.length);
    expect(yes.body.entities.every((e: { status: string }) => e.status === 'Provisioned')).toBe(true);
    expect(no.body.entities.every((e: { status: string }) => e.status === 'Unprovisioned')).toBe(true);
  });

  it('answers 50000027 for a provisioned value other than true or false', async () => {
    expectFailure(await reader.call('/v1/entities?provisioned=yes'), 50000027);
  });

  it('reads one entity by id with success:true', async () => {
    const entity = acme.fixture.entities[2];
    const res = await reader.call(`/v1/entities/${entity?.id}`);
    expectSuccess(res);
    expectMatchesSpec('zuora', 'GET', '/v1/entities/{id}', 200, res.body);
    expect(res.body).toEqual({ ...entity, success: true });
  });

  it('answers 50000040 for an unknown entity id', async () => {
    expectFailure(await reader.call(`/v1/entities/${'a'.repeat(32)}`), 50000040);
    expectFailure(await reader.call('/v1/entities/not%20an%20id'), 50000040);
  });
});

describe('Zuora sandbox: managing entities', () => {
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

describe('Zuora sandbox: routes', () => {
  let sandbox: Sandbox;
  let global: ZuoraSession;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    const acme = zuoraTenant(sandbox, 0);
    global = await sessionFor(sandbox, acme.admin, acme.rootId);
  });
  afterAll(() => sandbox.close());

  it('answers 405 with Allow and a category-45 envelope for a wrong method', async () => {
    const res = await global.call('/v1/entities', { method: 'PATCH', body: {} });
    expectFailure(res, 50000045, 405);
    expect(res.headers.allow).toBe('GET, POST');
  });

  it('answers 405 {message} with Allow for a wrong method on the token endpoint', async () => {
    const res = await http(`${sandbox.urls.zuora}/oauth/token`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it('answers 404 {message} for unknown paths, including the omitted /v1/users calls', async () => {
    for (const path of ['/v1/nothing', '/v1/users/jane/accessible-entities']) {
      const res = await global.call(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: expect.any(String) });
    }
  });

  it('answers 400 with a category-20 envelope for bad percent-encoding in the path', async () => {
    expectFailure(await global.call('/v1/entities/%E0%A4%A'), 50000020, 400);
  });
});
