import { beforeAll, describe, expect, it } from 'vitest';
import type { RevioKeyLinkRecord } from '../../sandbox/fixtures/index.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { allPages, type RevioSession, revioSession } from '../helpers/vendors/revio.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const LIST = '/v1/IntegrationKeyLink';
const ONE = '/v1/IntegrationKeyLink/{id}';
const ids = (records: RevioKeyLinkRecord[]) => records.map((r) => r.integration_key_link_id);

const SYSTEMS = '/v1/IntegrationSystem';
const TYPES = '/v1/IntegrationEntityType';


describe('Rev.io sandbox: reading and searching key links', () => {
  const sandbox = withSandbox({ reset: false });
  let rv: RevioSession;
  let seeded: RevioKeyLinkRecord[];
  beforeAll(async () => {
    rv = revioSession(sandbox, 0);
    seeded = [...rv.client.keyLinks].sort((a, b) => a.integration_key_link_id - b.integration_key_link_id);
  });

  const checkPage = (res: { body: any }) => {
    expectMatchesSpec('revio', 'GET', LIST, 200, res.body);
    expect(res.body.record_count).toBe(res.body.records.length);
    for (const record of res.body.records) expect(record).not.toHaveProperty('ok');
    for (const record of res.body.records) expect(record).not.toHaveProperty('links');
  };

  it.each([
    ['search.page', 'search.page_size'],
    ['page', 'page_size'],
  ])('returns every seeded link exactly once, in id order, when paging with %s', async (pageParam, sizeParam) => {
    const records = await allPages<RevioKeyLinkRecord>((page) => rv.call(`${LIST}?${pageParam}=${page}&${sizeParam}=7`), checkPage);
    expect(seeded.length).toBeGreaterThan(7);
    expect(records).toEqual(seeded);
  });

  it('uses page 1 and 10 records when no paging is given', async () => {
    const res = await rv.call(LIST);
    expect(res.body).toMatchObject({ ok: true, has_more: true, record_count: 10 });
    expect(ids(res.body.records)).toEqual(ids(seeded.slice(0, 10)));
  });

  it('prefers search.page and search.page_size over the bare forms', async () => {
    const res = await rv.call(`${LIST}?page=1&search.page=2&page_size=50&search.page_size=3`);
    expect(res.status).toBe(200);
    expect(ids(res.body.records)).toEqual(ids(seeded.slice(3, 6)));
  });

  it('answers an empty last page past the end', async () => {
    const res = await rv.call(`${LIST}?search.page=999&search.page_size=10`);
    expect(res.status).toBe(200);
    checkPage(res);
    expect(res.body).toEqual({ ok: true, has_more: false, record_count: 0, records: [] });
  });

  it('says has_more false on a page that ends exactly at the last link', async () => {
    const res = await rv.call(`${LIST}?search.page=1&search.page_size=${seeded.length}`);
    expect(res.body).toMatchObject({ has_more: false, record_count: seeded.length });
  });

  it('finds links by external_id exactly, ignoring case', async () => {
    const target = seeded.find((l) => /[a-z]/.test(l.external_id) && /[A-Z]/.test(l.external_id)) as RevioKeyLinkRecord;
    const upper = await rv.call(`${LIST}?search.external_id=${encodeURIComponent(target.external_id.toUpperCase())}`);
    checkPage(upper);
    expect(ids(upper.body.records)).toEqual(ids(seeded.filter((l) => l.external_id.toLowerCase() === target.external_id.toLowerCase())));
    const partial = await rv.call(`${LIST}?search.external_id=${encodeURIComponent(target.external_id.slice(0, -1))}`);
    expect(partial.body.records).toEqual([]);
  });

  it('returns both links of the seeded conflict for its external_id', async () => {
    const conflict = sandbox.fixtures.facts.conflicts.find((c) => c.provider === 'revio' && c.tenant === rv.client.clientCode);
    const res = await rv.call(`${LIST}?search.external_id=${encodeURIComponent(conflict?.externalId ?? '')}&search.integration_system_id=4`);
    expect(res.body.record_count).toBe(2);
    expect(new Set(res.body.records.map((r: RevioKeyLinkRecord) => r.internal_id)).size).toBe(2);
  });

  it('combines filters with AND', async () => {
    const sample = seeded.find((l) => l.integration_system_id === 11) as RevioKeyLinkRecord;
    const res = await rv.call(`${LIST}?search.internal_id=${sample.internal_id}&search.integration_system_id=11&search.integration_entity_type_id=2`);
    checkPage(res);
    const expected = seeded.filter((l) => l.internal_id === sample.internal_id && l.integration_system_id === 11 && l.integration_entity_type_id === 2);
    expect(res.body.records).toEqual(expected);
    const byInternal = await rv.call(`${LIST}?search.internal_id=${sample.internal_id}&search.page_size=500`);
    expect(byInternal.body.records).toEqual(seeded.filter((l) => l.internal_id === sample.internal_id));
    expect(byInternal.body.record_count).toBeGreaterThan(expected.length);
  });

  it('pages a filtered list', async () => {
    const salesforce = seeded.filter((l) => l.integration_system_id === 4);
    const records = await allPages<RevioKeyLinkRecord>((page) => rv.call(`${LIST}?search.integration_system_id=4&search.page=${page}&search.page_size=4`), checkPage);
    expect(records).toEqual(salesforce);
    const twoFilters = await allPages<RevioKeyLinkRecord>((page) => rv.call(`${LIST}?search.integration_system_id=4&search.integration_entity_type_id=2&search.page=${page}&search.page_size=3`), checkPage);
    expect(twoFilters).toEqual(salesforce.filter((l) => l.integration_entity_type_id === 2));
  });

  it('reads parameter names regardless of case', async () => {
    const res = await rv.call(`${LIST}?Search.Integration_Key_Link_Id=3&SEARCH.PAGE_SIZE=1`);
    expect(res.status).toBe(200);
    expect(res.body.records).toEqual([seeded[2]]);
    const twice = await rv.call(`${LIST}?search.page=1&Search.Page=2`);
    expect(twice.status).toBe(400);
  });

  it('finds one link by integration_key_link_id', async () => {
    const res = await rv.call(`${LIST}?search.integration_key_link_id=3`);
    expect(res.body.records).toEqual([seeded[2]]);
  });

  it('treats a comma as an ordinary character in a search value', async () => {
    const [a, b] = seeded;
    const res = await rv.call(`${LIST}?search.external_id=${encodeURIComponent(`${a?.external_id},${b?.external_id}`)}`);
    expect(res.status).toBe(200);
    expect(res.body.records).toEqual([]);
  });

  it.each([
    ['a repeated search parameter', 'search.internal_id=1&search.internal_id=2'],
    ['a repeated page parameter', 'page=1&page=2'],
    ['an unknown search field', 'search.customer_id=5'],
    ['a non-integer id filter', 'search.internal_id=12a'],
    ['an id filter beyond int32', 'search.integration_key_link_id=99999999999'],
    ['page 0', 'search.page=0'],
    ['a negative page size', 'page_size=-5'],
    ['page size 0', 'search.page_size=0'],
    ['a non-integer page', 'search.page=two'],
    ['an empty page size', 'search.page_size='],
  ])('answers 400 in the application shape for %s', async (_label, query) => {
    const res = await rv.call(`${LIST}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', LIST, 400, res.body);
  });

  it('answers one link with ok, its fields and a lower-case self link', async () => {
    const res = await rv.call(`${LIST}/2`);
    expect(res.status).toBe(200);
    expectMatchesSpec('revio', 'GET', ONE, 200, res.body);
    expect(res.body).toEqual({ ok: true, ...seeded[1], links: [{ rel: 'self', href: `${sandbox.urls.revio}/v1/integrationkeylink/2` }] });
    expect(res.body.created_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
  });

  it('answers 404 for an unknown link id', async () => {
    const res = await rv.call(`${LIST}/${seeded.length + 1000}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', ONE, 404, res.body);
  });

  it.each(['abc', '1.0', '0x10', '%20', '99999999999'])('answers 400 for the link id "%s"', async (id) => {
    const res = await rv.call(`${LIST}/${id}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', ONE, 400, res.body);
  });
});

describe('Rev.io sandbox: integration systems and entity types', () => {
  const sandbox = withSandbox({ reset: false });
  let rv: RevioSession;
  beforeAll(async () => {
    rv = revioSession(sandbox, 0);
  });

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

describe('Rev.io sandbox: large data set', () => {
  const sandbox = withSandbox({ size: 'large', reset: false });
  let rv: RevioSession;
  beforeAll(async () => {
    rv = revioSession(sandbox, 0);
  });

  it('clamps page_size above 500 and still returns every link once', async () => {
    expect(rv.client.keyLinks.length).toBeGreaterThan(1500);
    const pages: number[] = [];
    const records = await allPages<RevioKeyLinkRecord>(
      (page) => rv.call(`${LIST}?search.page=${page}&search.page_size=5000`),
      (res) => {
        expectMatchesSpec('revio', 'GET', LIST, 200, res.body);
        pages.push(res.body.record_count);
      },
    );
    expect(pages.slice(0, -1).every((count) => count === 500)).toBe(true);
    expect(records.map((r) => r.integration_key_link_id)).toEqual(
      rv.client.keyLinks.map((l) => l.integration_key_link_id).sort((a, b) => a - b),
    );
  });

  // Speed is measured by `npm run bench:sandbox`, never timed here (shared, noisy machines).
  it('finds each sampled link by external id among thousands', async () => {
    const sample = rv.client.keyLinks.filter((_, i) => i % 6 === 0).slice(0, 250);
    for (const link of sample) {
      const res = await rv.call(`${LIST}?search.external_id=${encodeURIComponent(link.external_id)}&search.integration_system_id=${link.integration_system_id}`);
      expect(res.body.records.map((r: RevioKeyLinkRecord) => r.integration_key_link_id)).toContain(link.integration_key_link_id);
    }
  });

  it('reads a late page of a broad filter', async () => {
    const customers = rv.client.keyLinks.filter((l) => l.integration_system_id === 11 && l.integration_entity_type_id === 2);
    const res = await rv.call(`${LIST}?search.integration_system_id=11&search.integration_entity_type_id=2&search.page=3&search.page_size=100`);
    expect(res.body.records).toEqual(customers.slice(200, 300));
    expect(res.body.has_more).toBe(customers.length > 300);
  });
});
