import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamNotFoundError } from '../../src/errors.js';
import type { KeyLinkRecord } from '../../src/upstreams/revio/client.js';
import { toExternalLink } from '../../src/upstreams/revio/mapper.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { basic, http } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { CUSTOMER, fixtureClient, M3TER, PRODUCT, SALESFORCE, testClient, upstreamFailure, ZUORA, type TestClient } from '../helpers/vendors/revio.js';

// 600 customers give each client 1,209 key links (three pages of up to 500), 600 of them M3TER.
const SIZE = { companies: 3, entitiesPerCompany: 5, connectionsPerCompany: 8, customersPerCompany: 600, productsPerCompany: 3 };
const sandbox = withSandbox({ size: SIZE, reset: false });
let revio: TestClient;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  revio = testClient(sandbox, 0, {}, cleanups);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});
beforeEach(() => sandbox.ledger.reset());

const fixture = () => fixtureClient(sandbox, 0);
const rawHeaders = () => ({ 'Ocp-Apim-Subscription-Key': revio.tenant.subscriptionKey, authorization: basic(`${revio.tenant.login}@${revio.tenant.clientCode}`, revio.tenant.password) });
const byId = (a: { integration_key_link_id: number }, b: { integration_key_link_id: number }) => a.integration_key_link_id - b.integration_key_link_id;

describe('Rev.io client: catalog', () => {
  it('lists every integration system and entity type of the tenant', async () => {
    expect(await revio.client.listSystems()).toEqual(sandbox.fixtures.revio.systems);
    const catalog = await revio.client.resolveCatalog();
    expect(catalog.entityTypes).toEqual(sandbox.fixtures.revio.entityTypes.map((t) => ({ id: t.integration_entity_type_id, name: t.entity_type_name })));
  });

  it('filters systems by name case-insensitively', async () => {
    expect(await revio.client.listSystems({ search: { system_name: 'zuora' } })).toEqual([{ integration_system_id: ZUORA, system_name: 'ZUORA' }]);
    expect(sandbox.ledger.list({ path: '/v1/IntegrationSystem' })[0]?.query).toEqual({ 'search.system_name': 'zuora', 'search.page': '1', 'search.page_size': '500' });
  });

  it('resolves the catalog once per client, names to ids and back', async () => {
    const { client } = testClient(sandbox, 0, {}, cleanups);
    const [first, second] = await Promise.all([client.resolveCatalog(), client.resolveCatalog()]);
    expect(second).toBe(first);
    expect(await client.resolveCatalog()).toBe(first);
    expect(first.linkedSystems).toEqual({ zuora: ZUORA, m3ter: M3TER });
    expect(first.systemId('salesforce')).toBe(SALESFORCE);
    expect(first.entityTypeId('INVENTORY_ITEM')).toBe(12);
    expect(first.names.entityTypes.get(CUSTOMER)).toBe('CUSTOMER');
    expect(sandbox.ledger.count({ path: '/v1/IntegrationSystem' })).toBe(1);
    expect(sandbox.ledger.count({ path: '/v1/IntegrationEntityType' })).toBe(1);
  });
});

describe('Rev.io client: key-link search and paging', () => {
  it('reads every key link exactly once, paging to the end', async () => {
    const all = await revio.client.searchKeyLinks();
    const expected = [...fixture().keyLinks].sort(byId);
    expect(expected.length).toBeGreaterThan(1000);
    expect(all).toEqual(expected);
    expect(new Set(all.map((link) => link.integration_key_link_id)).size).toBe(all.length);
    expect(sandbox.ledger.list({ path: '/v1/IntegrationKeyLink' }).map((e) => e.query['search.page'])).toEqual(['1', '2', '3']);
  });

  it('reads one page and resumes from the position it returns', async () => {
    const first = await revio.client.searchKeyLinksPage();
    expect(first.page).toBe(1);
    expect(first.followingPage).toBe(2);
    expect(first.records).toHaveLength(500);
    const second = await revio.client.searchKeyLinksPage({ page: first.followingPage });
    expect(second.followingPage).toBe(3);
    const third = await revio.client.searchKeyLinksPage({ page: second.followingPage });
    expect(third.followingPage).toBeUndefined();
    expect([...first.records, ...second.records, ...third.records]).toEqual([...fixture().keyLinks].sort(byId));
    const past = await revio.client.searchKeyLinksPage({ page: 4 });
    expect(past).toEqual({ records: [], page: 4, followingPage: undefined });
  });

  it('searches with search.<field> filters combined with AND', async () => {
    const links = await revio.client.searchKeyLinks({ search: { integration_system_id: M3TER, integration_entity_type_id: CUSTOMER } });
    const expected = fixture().keyLinks.filter((l) => l.integration_system_id === M3TER && l.integration_entity_type_id === CUSTOMER);
    expect(links).toEqual(expected.sort(byId));
    expect(sandbox.ledger.list()[0]?.query).toMatchObject({ 'search.integration_system_id': String(M3TER), 'search.integration_entity_type_id': String(CUSTOMER) });
  });

  it('returns only the exact external id when the seed holds one differing only by case', async () => {
    const salesforce = fixture().keyLinks.filter((l) => l.integration_system_id === SALESFORCE);
    const twins = salesforce.filter((a) => salesforce.some((b) => b !== a && b.external_id !== a.external_id && b.external_id.toLowerCase() === a.external_id.toLowerCase()));
    expect(twins).toHaveLength(2);
    const [one, other] = twins as [KeyLinkRecord, KeyLinkRecord];
    // The sandbox, like SQL Server, returns both; the client keeps the exact match.
    const raw = await http(`${sandbox.urls.revio}/v1/IntegrationKeyLink?search.external_id=${encodeURIComponent(one.external_id)}`, { headers: rawHeaders() });
    expect(raw.body.records).toHaveLength(2);
    const found = await revio.client.searchKeyLinks({ search: { external_id: one.external_id } });
    expect(found).toEqual([one]);
    const page = await revio.client.searchKeyLinksPage({ search: { external_id: other.external_id, integration_system_id: SALESFORCE } });
    expect(page.records).toEqual([other]);
  });

  it('gets a key link by searching on its id, not with the by-id GET', async () => {
    const wanted = fixture().keyLinks[6] as KeyLinkRecord;
    expect(await revio.client.getKeyLink({ id: wanted.integration_key_link_id })).toEqual(wanted);
    expect(await revio.client.getKeyLink({ id: 99_999 })).toBeUndefined();
    const entries = sandbox.ledger.list();
    expect(entries.map((e) => e.path)).toEqual(['/v1/IntegrationKeyLink', '/v1/IntegrationKeyLink']);
    expect(entries[0]?.query['search.integration_key_link_id']).toBe(String(wanted.integration_key_link_id));
  });

  it('maps searched links to ExternalLinks with the resolved catalog', async () => {
    const catalog = await revio.client.resolveCatalog();
    const [link] = await revio.client.searchKeyLinks({ search: { integration_system_id: ZUORA, internal_id: 1002 } });
    expect(link).toBeDefined();
    const mapped = toExternalLink(link as KeyLinkRecord, revio.tenant.clientCode, catalog.names);
    expect(mapped).toMatchObject({
      provider: 'REVIO',
      tenant: fixture().clientCode,
      internal: { system: 'Rev.io', type: 'CUSTOMER', id: '1002' },
      external: { system: 'ZUORA', type: null, id: (link as KeyLinkRecord).external_id },
      createdAt: (link as KeyLinkRecord).created_date,
    });
  });
});

describe('Rev.io client: batch lookups', () => {
  it('sends one broad search (paged through) for twenty entities and keeps only their links', async () => {
    const customers = Array.from({ length: 20 }, (_, k) => 2000 + k * 7);
    const links = await revio.client.findKeyLinks({ systemId: SALESFORCE, entityTypeId: CUSTOMER, internalIds: customers, requestId: 'batch-1' });
    const expected = fixture().keyLinks.filter((l) => l.integration_system_id === SALESFORCE && l.integration_entity_type_id === CUSTOMER && customers.includes(l.internal_id));
    expect(links).toEqual(expected.sort(byId));
    expect(links).toHaveLength(20);
    const searches = sandbox.ledger.list({ path: '/v1/IntegrationKeyLink' });
    // 601 Salesforce customer links: the one search takes two pages, never a search per entity.
    expect(searches.map((e) => e.query)).toEqual(['1', '2'].map((page) => ({
      'search.integration_system_id': String(SALESFORCE),
      'search.integration_entity_type_id': String(CUSTOMER),
      'search.page': page,
      'search.page_size': '500',
    })));
    expect(searches.map((e) => e.headers['x-request-id'])).toEqual(['batch-1', 'batch-1']);
  });

  it('pages through a broad search that spans pages', async () => {
    const m3ter = fixture().keyLinks.filter((l) => l.integration_system_id === M3TER);
    expect(m3ter.length).toBeGreaterThan(500);
    const wanted = [m3ter[0], m3ter[m3ter.length - 1]] as KeyLinkRecord[];
    const links = await revio.client.findKeyLinks({ systemId: M3TER, internalIds: wanted.map((l) => l.internal_id) });
    expect(links).toEqual(wanted);
    expect(sandbox.ledger.list({ path: '/v1/IntegrationKeyLink' }).map((e) => e.query['search.page'])).toEqual(['1', '2']);
  });

  it('matches external ids case-sensitively in a batch', async () => {
    const salesforce = fixture().keyLinks.filter((l) => l.integration_system_id === SALESFORCE && l.integration_entity_type_id === CUSTOMER);
    const target = salesforce[4] as KeyLinkRecord;
    const links = await revio.client.findKeyLinks({ systemId: SALESFORCE, externalIds: [target.external_id, target.external_id.toLowerCase(), 'no-such-id'] });
    const expected = salesforce.filter((l) => l.external_id === target.external_id || l.external_id === target.external_id.toLowerCase());
    expect(links).toEqual(expected.sort(byId));
    expect(links.every((l) => l.external_id === target.external_id || l.external_id === target.external_id.toLowerCase())).toBe(true);
  });
});
