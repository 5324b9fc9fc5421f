import { beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectSpec, mappingRequest, orgCall, type OrgSession, PATHS, sessionFor } from '../helpers/vendors/m3ter.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const sandbox = withSandbox({ reset: false });
let org: OrgSession;

beforeAll(async () => {
  org = await sessionFor(sandbox, 0);
});

const create = (body: unknown) => orgCall(sandbox, org, 'POST', '/externalmappings', { body });
const read = (id: string) => orgCall(sandbox, org, 'GET', `/externalmappings/${id}`);
const update = (id: string, body: unknown) => orgCall(sandbox, org, 'PUT', `/externalmappings/${id}`, { body });
const remove = (id: string) => orgCall(sandbox, org, 'DELETE', `/externalmappings/${id}`);

describe('m3ter: create, read, update, delete', () => {
  it('creates a mapping with 200, version 1 and the service user and sandbox time in the audit fields', async () => {
    sandbox.advanceClock(3_600_000); // tokens live 5 h
    const earliest = Date.now() + 3_600_000;
    const res = await create(mappingRequest('create-1', { integrationConfigId: 'cfg-1' }));
    expectSpec(res, 'POST', PATHS.list, 200);
    expect(res.body).toMatchObject({ ...mappingRequest('create-1'), integrationConfigId: 'cfg-1', version: 1 });
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Date.parse(res.body.dtCreated)).toBeGreaterThanOrEqual(earliest);
    expect(res.body.dtLastModified).toBe(res.body.dtCreated);
    expect(res.body.createdBy).toEqual(expect.any(String));
    expect(res.body.lastModifiedBy).toBe(res.body.createdBy);

    const again = await create(mappingRequest('create-2'));
    expect(again.body.createdBy).toBe(res.body.createdBy);
    expect(again.body).not.toHaveProperty('integrationConfigId');
  });

  it('reads back exactly what the create answered', async () => {
    const created = await create(mappingRequest('read-1'));
    const res = await read(created.body.id);
    expectSpec(res, 'GET', PATHS.one, 200);
    expect(res.body).toEqual(created.body);
  });

  it('reads a seeded mapping as seeded', async () => {
    const seeded = org.org.mappings[3]!;
    const res = await read(seeded.id);
    expectSpec(res, 'GET', PATHS.one, 200);
    expect(res.body).toEqual(seeded);
  });

  it('replaces the whole mapping on PUT with the current version and answers version + 1', async () => {
    const created = await create(mappingRequest('update-1', { integrationConfigId: 'cfg-1' }));
    sandbox.advanceClock(60_000);
    const res = await update(created.body.id, mappingRequest('update-1', { externalId: '001update-1b', version: 1 }));
    expectSpec(res, 'PUT', PATHS.one, 200);
    expect(res.body).toMatchObject({ id: created.body.id, version: 2, externalId: '001update-1b' });
    // A full replacement: an omitted integrationConfigId is gone.
    expect(res.body).not.toHaveProperty('integrationConfigId');
    expect(res.body.dtCreated).toBe(created.body.dtCreated);
    expect(res.body.createdBy).toBe(created.body.createdBy);
    expect(Date.parse(res.body.dtLastModified) - Date.parse(created.body.dtCreated)).toBeGreaterThanOrEqual(60_000);
    expect((await read(created.body.id)).body).toEqual(res.body);
  });

  it('sets lastModifiedBy to the service user when it updates a seeded mapping', async () => {
    const seeded = org.org.mappings.find((m) => m.createdBy !== m.lastModifiedBy)!;
    const mine = (await create(mappingRequest('who-am-i'))).body.createdBy;
    const { id, version, m3terEntity, m3terId, externalSystem, externalTable, externalId } = seeded;
    const res = await update(id, { m3terEntity, m3terId, externalSystem, externalTable, externalId, version });
    expectSpec(res, 'PUT', PATHS.one, 200);
    expect(res.body).toMatchObject({ version: version + 1, lastModifiedBy: mine, createdBy: seeded.createdBy });
  });

  it('deletes a mapping, answering with the deleted mapping, after which it is gone', async () => {
    const created = await create(mappingRequest('delete-1'));
    const res = await remove(created.body.id);
    expectSpec(res, 'DELETE', PATHS.one, 200);
    expect(res.body).toEqual(created.body);
    expectError(await read(created.body.id), 'GET', PATHS.one, 404);
    expectError(await remove(created.body.id), 'DELETE', PATHS.one, 404);
    expectError(await update(created.body.id, mappingRequest('delete-1', { version: 1 })), 'PUT', PATHS.one, 404);
  });

  it('answers 404 {message} for an unknown id', async () => {
    expectError(await read('00000000-0000-4000-8000-000000000000'), 'GET', PATHS.one, 404, /not found/);
    expectError(await read('not-a-uuid'), 'GET', PATHS.one, 404);
  });
});

describe('m3ter: optimistic locking', () => {
  it('answers 400 "version mismatch" to the second of two updates sent with the same version', async () => {
    const created = await create(mappingRequest('lock-1'));
    const first = await update(created.body.id, mappingRequest('lock-1', { externalId: 'first', version: 1 }));
    expectSpec(first, 'PUT', PATHS.one, 200);
    const second = await update(created.body.id, mappingRequest('lock-1', { externalId: 'second', version: 1 }));
    expectError(second, 'PUT', PATHS.one, 400, /^version mismatch/);
    expect((await read(created.body.id)).body).toMatchObject({ externalId: 'first', version: 2 });
  });

  it('answers 400 "version mismatch" to an update without a version, or with a future one', async () => {
    const created = await create(mappingRequest('lock-2'));
    expectError(await update(created.body.id, mappingRequest('lock-2')), 'PUT', PATHS.one, 400, /^version mismatch/);
    expectError(await update(created.body.id, mappingRequest('lock-2', { version: 2 })), 'PUT', PATHS.one, 400, /^version mismatch/);
    expect((await read(created.body.id)).body.version).toBe(1);
  });

  it('answers 400 "version mismatch" to a create that sends any version', async () => {
    expectError(await create(mappingRequest('lock-3', { version: 1 })), 'POST', PATHS.list, 400, /^version mismatch/);
    expectError(await create(mappingRequest('lock-3', { version: 0 })), 'POST', PATHS.list, 400, /^version mismatch/);
  });
});

describe('m3ter: mapping rules', () => {
  it('answers 400 to an exact duplicate of all five fields, whatever the integrationConfigId', async () => {
    const seeded = org.org.mappings[0]!;
    const { m3terEntity, m3terId, externalSystem, externalTable, externalId } = seeded;
    const res = await create({ m3terEntity, m3terId, externalSystem, externalTable, externalId, integrationConfigId: 'other' });
    expectError(res, 'POST', PATHS.list, 400, /already exists/);
  });

  it('allows mappings that differ in one field only', async () => {
    const seeded = org.org.mappings[0]!;
    const { m3terEntity, m3terId, externalSystem, externalTable } = seeded;
    const res = await create({ m3terEntity, m3terId, externalSystem, externalTable, externalId: `${seeded.externalId}-2` });
    expectSpec(res, 'POST', PATHS.list, 200);
  });

  it('answers 400 to an update that would duplicate another mapping', async () => {
    const one = await create(mappingRequest('dup-a'));
    const two = await create(mappingRequest('dup-b'));
    const res = await update(two.body.id, mappingRequest('dup-a', { version: 1 }));
    expectError(res, 'PUT', PATHS.one, 400, /already exists/);
    expect(one.status).toBe(200);
  });

  it('answers 400 to an m3terEntity outside the configuration, compared case-sensitively', async () => {
    expectError(await create(mappingRequest('entity-1', { m3terEntity: 'Invoice' })), 'POST', PATHS.list, 400, /m3terEntity/);
    expectError(await create(mappingRequest('entity-2', { m3terEntity: 'account' })), 'POST', PATHS.list, 400, /m3terEntity/);
    const ok = await create(mappingRequest('entity-3', { m3terEntity: 'Plan' }));
    expectSpec(ok, 'POST', PATHS.list, 200);
  });

  it('accepts inner spaces and free text in every field', async () => {
    const res = await create(mappingRequest('spaces', { externalTable: 'Custom Table', externalId: 'a/b c?d#e%f' }));
    expectSpec(res, 'POST', PATHS.list, 200);
    expect(res.body.externalId).toBe('a/b c?d#e%f');
  });
});
