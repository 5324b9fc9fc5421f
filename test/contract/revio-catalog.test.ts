import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { revioTenant, type RevioTenant } from './revio-tenant.js';

const SYSTEMS = '/v1/IntegrationSystem';
const TYPES = '/v1/IntegrationEntityType';

describe('Rev.io sandbox: integration systems and entity types', () => {
  let sandbox: Sandbox;
  let rv: RevioTenant;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    rv = revioTenant(sandbox, 0);
  });
  afterAll(() => sandbox.close());

  it('lists the seeded systems in id order in the collection envelope', async () => {
    const res = await rv.call(SYSTEMS);
    expect(res.status).toBe(200);
    expectMatchesSpec('revio', 'GET', SYSTEMS, 200, res.body);
    expect(res.body).toEqual({
      ok: true,
      has_more: false,
      record_count: 3,
      records: [
        { integration_system_id: 4, system_name: 'SALESFORCE' },
        { integration_system_id: 10, system_name: 'ZUORA' },
        { integration_system_id: 11, system_name: 'M3TER' },
      ],
    });
  });

  it('finds a system by name regardless of case, and by id', async () => {
    const byName = await rv.call(`${SYSTEMS}?search.system_name=salesforce`);
    expect(byName.body.records).toEqual([{ integration_system_id: 4, system_name: 'SALESFORCE' }]);
    const byId = await rv.call(`${SYSTEMS}?search.integration_system_id=10`);
    expect(byId.body.records).toEqual([{ integration_system_id: 10, system_name: 'ZUORA' }]);
    const both = await rv.call(`${SYSTEMS}?search.integration_system_id=10&search.system_name=M3TER`);
    expect(both.body).toMatchObject({ record_count: 0, records: [], has_more: false });
    expectMatchesSpec('revio', 'GET', SYSTEMS, 200, both.body);
  });

  it('does not match a partial system name', async () => {
    const res = await rv.call(`${SYSTEMS}?search.system_name=SALES`);
    expect(res.body.records).toEqual([]);
  });

  it('answers one system with a lower-case self link', async () => {
    const res = await rv.call(`${SYSTEMS}/4`);
    expect(res.status).toBe(200);
    expectMatchesSpec('revio', 'GET', `${SYSTEMS}/{id}`, 200, res.body);
    expect(res.body).toEqual({
      ok: true,
      integration_system_id: 4,
      system_name: 'SALESFORCE',
      links: [{ rel: 'self', href: `${sandbox.urls.revio}/v1/integrationsystem/4` }],
    });
  });

  it('pages the twelve entity types', async () => {
    const first = await rv.call(`${TYPES}?search.page_size=5`);
    expectMatchesSpec('revio', 'GET', TYPES, 200, first.body);
    expect(first.body).toMatchObject({ has_more: true, record_count: 5 });
    expect(first.body.records[0]).toEqual({ integration_entity_type_id: 1, entity_type_name: 'AGENT' });
    const last = await rv.call(`${TYPES}?search.page_size=5&search.page=3`);
    expect(last.body).toMatchObject({ has_more: false, record_count: 2 });
    expect(last.body.records.map((t: { entity_type_name: string }) => t.entity_type_name)).toEqual(['ADDRESS', 'INVENTORY_ITEM']);
  });

  it('finds CUSTOMER as entity type 2, by name and by id', async () => {
    const byName = await rv.call(`${TYPES}?search.entity_type_name=Customer`);
    expect(byName.body.records).toEqual([{ integration_entity_type_id: 2, entity_type_name: 'CUSTOMER' }]);
    const one = await rv.call(`${TYPES}/2`);
    expectMatchesSpec('revio', 'GET', `${TYPES}/{id}`, 200, one.body);
    expect(one.body).toMatchObject({ ok: true, integration_entity_type_id: 2, entity_type_name: 'CUSTOMER' });
    expect(one.body.links).toEqual([{ rel: 'self', href: `${sandbox.urls.revio}/v1/integrationentitytype/2` }]);
  });

  it('matches paths regardless of case', async () => {
    const res = await rv.call('/V1/integrationsystem/4');
    expect(res.status).toBe(200);
    expect(res.body.system_name).toBe('SALESFORCE');
    expect((await rv.call('/v1/INTEGRATIONENTITYTYPE')).status).toBe(200);
  });

  it.each([
    [`${SYSTEMS}/99`, `${SYSTEMS}/{id}`],
    [`${TYPES}/0`, `${TYPES}/{id}`],
  ])('answers 404 in the application shape for unknown %s', async (path, template) => {
    const res = await rv.call(path);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', template, 404, res.body);
  });

  it.each([
    [`${SYSTEMS}/abc`, `${SYSTEMS}/{id}`],
    [`${TYPES}/1.5`, `${TYPES}/{id}`],
    [`${SYSTEMS}?search.name=SALESFORCE`, SYSTEMS],
    [`${SYSTEMS}?search.integration_system_id=four`, SYSTEMS],
    [`${TYPES}?search.integration_entity_type_id=2&search.integration_entity_type_id=3`, TYPES],
    [`${TYPES}?search.page_size=0`, TYPES],
  ])('answers 400 in the application shape for %s', async (path, template) => {
    const res = await rv.call(path);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', template, 400, res.body);
  });

  it.each([
    ['POST', SYSTEMS],
    ['PUT', SYSTEMS],
    ['PATCH', SYSTEMS],
    ['DELETE', SYSTEMS],
    ['POST', `${SYSTEMS}/{id}`],
    ['DELETE', `${SYSTEMS}/{id}`],
    ['POST', TYPES],
    ['PUT', `${TYPES}/{id}`],
    ['PATCH', `${TYPES}/{id}`],
  ])('answers 405 with Allow: GET for %s %s', async (method, template) => {
    const res = await rv.call(template.replace('{id}', '4'), { method, body: method === 'DELETE' ? undefined : { system_name: 'X' } });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', method, template, 405, res.body);
  });

  it('answers 404 in the application shape for an unknown path', async () => {
    const res = await rv.call('/v1/IntegrationWidget');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
  });
});
