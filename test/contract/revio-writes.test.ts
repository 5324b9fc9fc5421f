import { beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { type RevioSession, revioSession } from '../helpers/vendors/revio.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const LIST = '/v1/IntegrationKeyLink';
const ONE = '/v1/IntegrationKeyLink/{id}';
/** Spare customers the fixtures seed without links, so creates have a valid internal_id. */
const SPARE_CUSTOMER = 9000;

describe('Rev.io sandbox: creating, replacing and deleting key links', () => {
  const sandbox = withSandbox();
  let rv: RevioSession;
  let maxSeededId: number;
  beforeAll(async () => {
    rv = revioSession(sandbox, 0);
    maxSeededId = Math.max(...rv.client.keyLinks.map((l) => l.integration_key_link_id));
  });

  const valid = { integration_system_id: 4, integration_entity_type_id: 2, internal_id: SPARE_CUSTOMER, external_id: '0015e00000AbCdEfGH' };

  it('creates a link: 201, Location and {ok, id}, and the link is then readable', async () => {
    sandbox.advanceClock(3_600_000);
    const before = Date.now() + 3_600_000;
    const res = await rv.call(LIST, { method: 'POST', body: valid });
    const after = Date.now() + 3_600_000;
    expect(res.status).toBe(201);
    expectMatchesSpec('revio', 'POST', LIST, 201, res.body);
    expect(res.body).toEqual({ ok: true, id: maxSeededId + 1 });
    expect(res.headers.location).toBe(`${sandbox.urls.revio}/v1/integrationkeylink/${res.body.id}`);

    const read = await rv.call(`${LIST}/${res.body.id}`);
    expectMatchesSpec('revio', 'GET', ONE, 200, read.body);
    expect(read.body).toMatchObject({ ok: true, integration_key_link_id: res.body.id, ...valid, created_by: 101 });
    // Written from the sandbox clock, in UTC, with milliseconds and no offset.
    expect(read.body.created_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    const created = Date.parse(`${read.body.created_date}Z`);
    expect(created).toBeGreaterThanOrEqual(before - 1);
    expect(created).toBeLessThanOrEqual(after + 1);

    const found = await rv.call(`${LIST}?search.external_id=${valid.external_id}`);
    expect(found.body.records).toEqual([{ integration_key_link_id: res.body.id, ...valid, created_date: read.body.created_date, created_by: 101 }]);
  });

  it('allows duplicate links, each with its own id', async () => {
    const first = await rv.call(LIST, { method: 'POST', body: valid });
    const second = await rv.call(LIST, { method: 'POST', body: valid });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id + 1);
    const found = await rv.call(`${LIST}?search.internal_id=${SPARE_CUSTOMER}`);
    expect(found.body.record_count).toBe(2);
  });

  it('ignores read-only and unknown fields in the body', async () => {
    const res = await rv.call(LIST, { method: 'POST', body: { ...valid, integration_key_link_id: 1, created_by: 7, note: 'x' } });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe(maxSeededId + 1);
    const read = await rv.call(`${LIST}/${res.body.id}`);
    expect(read.body).not.toHaveProperty('note');
    expect(read.body.created_by).toBe(101);
  });

  it('never reuses the id of a deleted link', async () => {
    const first = await rv.call(LIST, { method: 'POST', body: valid });
    expect((await rv.call(`${LIST}/${first.body.id}`, { method: 'DELETE' })).status).toBe(200);
    const second = await rv.call(LIST, { method: 'POST', body: valid });
    expect(second.body.id).toBe(first.body.id + 1);
  });

  it.each<[string, unknown, string | undefined]>([
    ['an unknown system', { ...valid, integration_system_id: 99 }, 'integration_system_id'],
    ['an unknown entity type', { ...valid, integration_entity_type_id: 99 }, 'integration_entity_type_id'],
    ['an internal_id not among the CUSTOMER ids', { ...valid, internal_id: 999_999 }, 'internal_id'],
    ['an internal_id of another entity type', { ...valid, integration_entity_type_id: 1 }, 'internal_id'],
    ['a missing external_id', { ...valid, external_id: undefined }, 'external_id'],
    ['a missing internal_id', { ...valid, internal_id: undefined }, 'internal_id'],
    ['a null system id', { ...valid, integration_system_id: null }, 'integration_system_id'],
    ['a system id sent as a string', { ...valid, integration_system_id: '4' }, 'integration_system_id'],
    ['a fractional internal_id', { ...valid, internal_id: 9000.5 }, 'internal_id'],
    ['a numeric external_id', { ...valid, external_id: 12345 }, 'external_id'],
    ['an empty external_id', { ...valid, external_id: '' }, 'external_id'],
    ['an external_id of 256 characters', { ...valid, external_id: 'x'.repeat(256) }, 'external_id'],
    ['a body that is an array', [valid], undefined],
    ['a body that is a string', 'hello', undefined],
    ['an empty body', '', undefined],
    ['malformed JSON', '{"integration_system_id": 4,', undefined],
  ])('answers 400 in the application shape for %s', async (_label, body, field) => {
    const raw = typeof body === 'string' || body === undefined ? body : JSON.stringify(body);
    const res = await rv.call(LIST, { method: 'POST', body: raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'POST', LIST, 400, res.body);
    if (field) expect(res.body.errors).toContainEqual({ field, message: expect.any(String) });
    const created = await rv.call(`${LIST}/${maxSeededId + 1}`);
    expect(created.status).toBe(404);
  });

  it('lists every problem of a body at once', async () => {
    const res = await rv.call(LIST, { method: 'POST', body: { integration_system_id: 99 } });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['external_id', 'integration_entity_type_id', 'integration_system_id', 'internal_id']);
  });

  it('accepts an external_id of exactly 255 characters', async () => {
    const res = await rv.call(LIST, { method: 'POST', body: { ...valid, external_id: 'y'.repeat(255) } });
    expect(res.status).toBe(201);
  });

  it('replaces a link in full, keeping its id and audit fields', async () => {
    const before = (await rv.call(`${LIST}/1`)).body;
    const replacement = { integration_system_id: 11, integration_entity_type_id: 2, internal_id: SPARE_CUSTOMER + 1, external_id: 'acct-replaced' };
    const res = await rv.call(`${LIST}/1`, { method: 'PUT', body: replacement });
    expect(res.status).toBe(200);
    expectMatchesSpec('revio', 'PUT', ONE, 200, res.body);
    expect(res.body).toEqual({ ok: true });
    const after = (await rv.call(`${LIST}/1`)).body;
    expect(after).toEqual({ ...before, ...replacement });
    // The indexes follow the change: the old external_id no longer finds it, the new one does.
    const old = await rv.call(`${LIST}?search.external_id=${encodeURIComponent(before.external_id)}&search.integration_key_link_id=1`);
    expect(old.body.records).toEqual([]);
    const found = await rv.call(`${LIST}?search.external_id=ACCT-REPLACED`);
    expect(found.body.records.map((r: { integration_key_link_id: number }) => r.integration_key_link_id)).toEqual([1]);
    const bySystem = await rv.call(`${LIST}?search.integration_system_id=11&search.page_size=500`);
    expect(bySystem.body.records[0].integration_key_link_id).toBe(1);
  });

  it('validates a PUT body like a POST body', async () => {
    const res = await rv.call(`${LIST}/1`, { method: 'PUT', body: { ...valid, external_id: undefined } });
    expect(res.status).toBe(400);
    expectMatchesSpec('revio', 'PUT', ONE, 400, res.body);
    expect(res.body.errors).toContainEqual({ field: 'external_id', message: expect.any(String) });
  });

  it('answers 404 for a PUT or DELETE of an unknown id', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const res = await rv.call(`${LIST}/${maxSeededId + 50}`, { method, body: method === 'PUT' ? valid : undefined });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
      expectMatchesSpec('revio', method, ONE, 404, res.body);
    }
  });

  it('answers 400 for a PUT or DELETE of a non-integer id', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const res = await rv.call(`${LIST}/first`, { method, body: method === 'PUT' ? valid : undefined });
      expect(res.status).toBe(400);
      expectMatchesSpec('revio', method, ONE, 400, res.body);
    }
  });

  it('deletes a link: 200 {ok:true}, then 404 on read and on a second delete', async () => {
    const res = await rv.call(`${LIST}/2`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expectMatchesSpec('revio', 'DELETE', ONE, 200, res.body);
    expect(res.body).toEqual({ ok: true });
    expect((await rv.call(`${LIST}/2`)).status).toBe(404);
    expect((await rv.call(`${LIST}/2`, { method: 'DELETE' })).status).toBe(404);
    const list = await rv.call(`${LIST}?search.page_size=3`);
    expect(list.body.records.map((r: { integration_key_link_id: number }) => r.integration_key_link_id)).toEqual([1, 3, 4]);
  });

  it.each([
    ['PUT', LIST],
    ['PATCH', LIST],
    ['DELETE', LIST],
    ['POST', ONE],
    ['PATCH', ONE],
  ])('answers 405 with an Allow header for %s %s', async (method, template) => {
    const res = await rv.call(template.replace('{id}', '1'), { method, body: method === 'DELETE' ? undefined : valid });
    expect(res.status).toBe(405);
    expect(res.headers.allow?.split(', ').sort()).toEqual(template === LIST ? ['GET', 'POST'] : ['DELETE', 'GET', 'PUT']);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', method, template, 405, res.body);
  });

  it('restores the seeded links on reset', async () => {
    await rv.call(`${LIST}/1`, { method: 'DELETE' });
    await rv.call(LIST, { method: 'POST', body: valid });
    sandbox.reset();
    expect((await rv.call(`${LIST}/1`)).status).toBe(200);
    expect((await rv.call(`${LIST}/${maxSeededId + 1}`)).status).toBe(404);
  });
});
