import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadUserInputError, UpstreamNotFoundError } from '../../src/errors.js';
import type { M3terClient } from '../../src/upstreams/m3ter/client.js';
import type { M3terMapping } from '../../src/upstreams/m3ter/m3ter-types.js';
import type { M3terOrgFixture } from '../../sandbox/fixtures/types.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { clientFor, everyMapping, idsOf, newestFirst, orgCalls, orgOf, sorted, upstreamErrorOf } from '../helpers/vendors/m3ter.js';

// `medium`: 321 mappings per org, so listing at m3ter's 200 per page takes two pages.
const sandbox = withSandbox({ size: 'medium', reset: false });
let org: M3terOrgFixture;
let client: M3terClient;

beforeAll(async () => {
  org = orgOf(sandbox, 0);
  client = clientFor(sandbox, 0);
});

afterAll(() => {

  client.close();

});

const LIST = '/organizations/{orgId}/externalmappings';

function fixtureWhere(predicate: (mapping: M3terMapping) => boolean): M3terMapping[] {
  return org.mappings.filter(predicate).sort(newestFirst);
}

describe('m3ter client: listing mappings (GET /externalmappings)', () => {
  it('pages through every mapping of the org exactly once, newest first', async () => {
    const all = await client.listAllMappings();
    expect(all).toHaveLength(org.mappings.length);
    expect(new Set(idsOf(all)).size).toBe(all.length);
    expect(idsOf(all)).toEqual(idsOf([...org.mappings].sort(newestFirst)));
    expect(sorted(all)).toEqual(sorted(org.mappings));
    for (const mapping of all.slice(0, 3)) expectMatchesSpec('m3ter', 'GET', '/organizations/{orgId}/externalmappings/{id}', 200, mapping);
  });

  it('asks for 200 a page and passes nextToken back until the last page', async () => {
    const mark = sandbox.ledger.mark;
    expect(await client.listAllMappings()).toHaveLength(org.mappings.length);
    const calls = orgCalls(sandbox, org.orgId, mark);
    expect(calls.map((call) => call.query.pageSize)).toEqual(['200', '200']);
    expect(calls[0]?.query.nextToken).toBeUndefined();
    expect(calls[1]?.query.nextToken).toMatch(/^[\w-]+$/);
  });

  it('returns one page with its upstream position, and the position fetches the next page', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.listMappings({ pageSize: 50, ...(nextToken === undefined ? {} : { nextToken }) });
      seen.push(...idsOf(page.mappings));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken !== undefined && pages < 20);
    expect(pages).toBe(Math.ceil(org.mappings.length / 50));
    expect(seen).toEqual(idsOf([...org.mappings].sort(newestFirst)));
  });

  it('filters by external system name', async () => {
    const mark = sandbox.ledger.mark;
    const stripe = await client.listAllMappings({ externalSystem: 'Stripe' });
    expect(stripe.length).toBeGreaterThan(0);
    expect(idsOf(stripe)).toEqual(idsOf(fixtureWhere((m) => m.externalSystem === 'Stripe')));
    const salesforce = await client.listAllMappings({ externalSystem: 'Salesforce' });
    expect(idsOf(salesforce)).toEqual(idsOf(fixtureWhere((m) => m.externalSystem === 'Salesforce')));
    expect(orgCalls(sandbox, org.orgId, mark).map((call) => call.query.externalSystemId)).toEqual(['Stripe', 'Salesforce']);
  });

  it('repeats the filters on every page', async () => {
    const ids = [...new Set(org.mappings.map((m) => m.m3terId))];
    const mark = sandbox.ledger.mark;
    const all = await client.listAllMappings({ m3terIds: ids, externalSystem: 'Zuora' });
    expect(idsOf(all)).toEqual(idsOf(fixtureWhere((m) => m.externalSystem === 'Zuora')));
    const byIds = await client.listAllMappings({ m3terIds: ids });
    expect(byIds).toHaveLength(org.mappings.length);
    const calls = orgCalls(sandbox, org.orgId, mark);
    // One page of Zuora mappings, then two pages of all 321.
    expect(calls).toHaveLength(3);
    expect(calls[2]?.query.nextToken).toBeDefined();
    for (const call of calls) expect(call.query.m3terIds).toEqual(ids);
  });

  it('filters by integration config id and by several m3ter ids at once, as repeated parameters', async () => {
    const withConfig = org.mappings.find((m) => m.integrationConfigId !== undefined);
    const configId = withConfig?.integrationConfigId as string;
    const byConfig = await client.listAllMappings({ integrationConfigId: configId });
    expect(idsOf(byConfig)).toEqual(idsOf(fixtureWhere((m) => m.integrationConfigId === configId)));

    const wanted = [...new Set(org.mappings.map((m) => m.m3terId))].slice(0, 3);
    const mark = sandbox.ledger.mark;
    const byIds = await client.listAllMappings({ m3terIds: wanted });
    expect(idsOf(byIds)).toEqual(idsOf(fixtureWhere((m) => wanted.includes(m.m3terId))));
    expect(orgCalls(sandbox, org.orgId, mark)[0]?.query.m3terIds).toEqual([...wanted]);
  });

  it('refuses a page size m3ter would refuse, before calling it', async () => {
    const mark = sandbox.ledger.mark;
    for (const pageSize of [0, 201, 2.5]) {
      await expect(client.listMappings({ pageSize })).rejects.toBeInstanceOf(BadUserInputError);
    }
    expect(orgCalls(sandbox, org.orgId, mark)).toHaveLength(0);
  });
});

describe('m3ter client: single mappings and lookups', () => {
  it('gets a mapping by id', async () => {
    const record = org.mappings[7] as M3terMapping;
    expect(await client.getMapping({ id: record.id })).toEqual(record);
  });

  it('reports an unknown id as NOT_FOUND', async () => {
    const error = await upstreamErrorOf(client.getMapping({ id: '00000000-0000-4000-8000-000000000000' }));
    expect(error).toBeInstanceOf(UpstreamNotFoundError);
    expect(error.status).toBe(404);
  });

  it('lists the mappings of one external record (…/externalid/{system}/{table}/{id})', async () => {
    const record = org.mappings.find((m) => m.externalSystem === 'Stripe') as M3terMapping;
    const ref = { externalSystem: record.externalSystem, externalTable: record.externalTable, externalId: record.externalId };
    const expected = fixtureWhere((m) => m.externalSystem === ref.externalSystem && m.externalTable === ref.externalTable && m.externalId === ref.externalId);
    expect(idsOf(await everyMapping((position) => client.listMappingsByExternalId({ ...ref, ...position })))).toEqual(idsOf(expected));
    const page = await client.listMappingsByExternalId({ ...ref, pageSize: 1 });
    expect(idsOf(page.mappings)).toEqual(idsOf(expected).slice(0, 1));
  });

  it('lists the mappings of one m3ter object (…/external/{entity}/{m3terId}), one page or all pages', async () => {
    const counts = new Map<string, number>();
    for (const m of org.mappings) counts.set(m.m3terId, (counts.get(m.m3terId) ?? 0) + 1);
    const [m3terId] = [...counts].find(([, n]) => n > 1) ?? [];
    const record = org.mappings.find((m) => m.m3terId === m3terId) as M3terMapping;
    const expected = fixtureWhere((m) => m.m3terEntity === record.m3terEntity && m.m3terId === record.m3terId);
    expect(expected.length).toBeGreaterThan(1);

    const first = await client.listMappingsByM3terObject({ m3terEntity: record.m3terEntity, m3terId: record.m3terId, pageSize: 1 });
    expect(idsOf(first.mappings)).toEqual(idsOf(expected).slice(0, 1));
    expect(first.nextToken).toBeDefined();
    const rest = await client.listMappingsByM3terObject({ m3terEntity: record.m3terEntity, m3terId: record.m3terId, pageSize: 200, ...(first.nextToken ? { nextToken: first.nextToken } : {}) });
    expect(idsOf([...first.mappings, ...rest.mappings])).toEqual(idsOf(expected));
    expect(rest.nextToken).toBeUndefined();

    expect(idsOf(await everyMapping((position) => client.listMappingsByM3terObject({ m3terEntity: record.m3terEntity, m3terId: record.m3terId, ...position })))).toEqual(idsOf(expected));
  });

  it('answers an unmapped record with an empty list, not an error', async () => {
    expect(await client.listMappingsByExternalId({ externalSystem: 'Stripe', externalTable: 'Customer', externalId: 'cus_nobody' })).toEqual({ mappings: [] });
    expect(await everyMapping((position) => client.listMappingsByM3terObject({ m3terEntity: 'Account', m3terId: 'nobody', ...position }))).toEqual([]);
  });

  it('refuses "." and ".." as path segments instead of letting URL parsing resolve them', async () => {
    const mark = sandbox.ledger.mark;
    await expect(client.getMapping({ id: '..' })).rejects.toBeInstanceOf(BadUserInputError);
    await expect(client.listMappingsByExternalId({ externalSystem: 'Stripe', externalTable: 'Customer', externalId: '.' })).rejects.toBeInstanceOf(BadUserInputError);
    expect(orgCalls(sandbox, org.orgId, mark)).toHaveLength(0);
  });
});

describe('m3ter client: configuration (GET /externalmappingconfiguration)', () => {
  it('reads the org configuration', async () => {
    const configuration = await client.getConfiguration();
    expect(configuration).toEqual(org.configuration);
    expectMatchesSpec('m3ter', 'GET', '/organizations/{orgId}/externalmappingconfiguration', 200, configuration);
  });
});

describe('m3ter client: the list endpoint as the ledger sees it', () => {
  it('sends every filter under its m3ter name on the documented path', async () => {
    const mark = sandbox.ledger.mark;
    await client.listMappings({ externalSystem: 'Zuora', integrationConfigId: 'cfg', m3terIds: ['a', 'b,c'], pageSize: 7 });
    const [call] = orgCalls(sandbox, org.orgId, mark);
    expect(call?.path).toBe(LIST.replace('{orgId}', org.orgId));
    expect(call?.query).toEqual({ externalSystemId: 'Zuora', integrationConfigId: 'cfg', m3terIds: ['a', 'b,c'], pageSize: '7' });
  });
});
