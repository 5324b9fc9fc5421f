import { beforeAll, describe, expect, it } from 'vitest';
import type { M3terMappingRecord } from '../../sandbox/fixtures/types.js';
import { expectError, expectSpec, idsOf, mappingRequest, newestFirst, orgCall, type OrgSession, pageAll, PATHS, sessionFor } from '../helpers/vendors/m3ter.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const sandbox = withSandbox({ size: 'medium', reset: false });
let org: OrgSession;

beforeAll(async () => {
  // medium: 321 mappings per org, so a 200-row page size still takes two pages.
  org = await sessionFor(sandbox, 0);
});

const seeded = () => [...org.org.mappings].sort(newestFirst);
const list = '/externalmappings';

function expectExactlyOnce(rows: readonly M3terMappingRecord[], expected: readonly M3terMappingRecord[]): void {
  expect(new Set(idsOf(rows)).size).toBe(rows.length);
  expect(idsOf(rows)).toEqual(idsOf([...expected].sort(newestFirst)));
}
describe('m3ter: listing every mapping', () => {
  it('pages through every seeded mapping of every org exactly once, newest first, at pageSize 200', async () => {
    for (const [index, fixture] of sandbox.fixtures.m3ter.orgs.entries()) {
      const session = await sessionFor(sandbox, index);
      const { rows, pages } = await pageAll(sandbox, session, list, PATHS.list, { pageSize: 200 });
      expect(pages).toBe(Math.ceil(fixture.mappings.length / 200));
      expectExactlyOnce(rows, fixture.mappings);
      expect(rows).toEqual([...fixture.mappings].sort(newestFirst));
    }
  });

  it('answers 10 rows and a nextToken by default', async () => {
    const res = await orgCall(sandbox, org, 'GET', list);
    expectSpec(res, 'GET', PATHS.list, 200);
    expect(idsOf(res.body.data)).toEqual(idsOf(seeded().slice(0, 10)));
    expect(res.body.nextToken).toEqual(expect.any(String));
  });

  it('leaves nextToken out on the last page, also when the last page is exactly full', async () => {
    const total = org.org.mappings.length;
    const whole = await orgCall(sandbox, org, 'GET', list, { query: { pageSize: 200 } });
    const rest = await orgCall(sandbox, org, 'GET', list, { query: { pageSize: total - 200, nextToken: whole.body.nextToken } });
    expectSpec(rest, 'GET', PATHS.list, 200);
    expect(rest.body.data).toHaveLength(total - 200);
    expect(rest.body).not.toHaveProperty('nextToken');
  });

  it('lets the page size change between pages', async () => {
    const first = await orgCall(sandbox, org, 'GET', list, { query: { pageSize: 3 } });
    const second = await orgCall(sandbox, org, 'GET', list, { query: { pageSize: 5, nextToken: first.body.nextToken } });
    expectSpec(second, 'GET', PATHS.list, 200);
    expect(idsOf([...first.body.data, ...second.body.data])).toEqual(idsOf(seeded().slice(0, 8)));
  });
});

describe('m3ter: list filters', () => {
  type Query = Record<string, string | string[]>;
  type FilterCase = (mappings: readonly M3terMappingRecord[]) => { query: Query; keep: (m: M3terMappingRecord) => boolean };

  const configIdOf = (mappings: readonly M3terMappingRecord[]) => mappings.find((m) => m.integrationConfigId)!.integrationConfigId!;
  // Twenty customer accounts (the first five m3ter ids belong to Zuora entities).
  const accountsOf = (mappings: readonly M3terMappingRecord[]) => [...new Set(mappings.map((m) => m.m3terId))].slice(5, 25);

  const cases: [string, number, FilterCase][] = [
    ['externalSystemId', 8, () => ({ query: { externalSystemId: 'Salesforce' }, keep: (m) => m.externalSystem === 'Salesforce' })],
    ['another externalSystemId', 8, () => ({ query: { externalSystemId: 'Stripe' }, keep: (m) => m.externalSystem === 'Stripe' })],
    ['integrationConfigId', 8, (all) => {
      const id = configIdOf(all);
      return { query: { integrationConfigId: id }, keep: (m) => m.integrationConfigId === id };
    }],
    ['m3terIds, repeated, one of them twice', 8, (all) => {
      const accounts = accountsOf(all);
      return { query: { m3terIds: [...accounts, accounts[0]!] }, keep: (m) => accounts.includes(m.m3terId) };
    }],
    ['externalSystemId and m3terIds', 8, (all) => {
      const accounts = accountsOf(all);
      return { query: { externalSystemId: 'Stripe', m3terIds: accounts }, keep: (m) => m.externalSystem === 'Stripe' && accounts.includes(m.m3terId) };
    }],
    ['externalSystemId and integrationConfigId', 8, (all) => {
      const id = configIdOf(all);
      return { query: { externalSystemId: 'Salesforce', integrationConfigId: id }, keep: (m) => m.externalSystem === 'Salesforce' && m.integrationConfigId === id };
    }],
    ['filters with no common match', 0, (all) => ({ query: { externalSystemId: 'Stripe', integrationConfigId: configIdOf(all) }, keep: () => false })],
  ];

  it.each(cases)('pages through the matches of %s exactly once, at pageSize 200 and 7', async (_label, atLeast, filterCase) => {
    const { query, keep } = filterCase(org.org.mappings);
    const expected = org.org.mappings.filter(keep);
    expect(expected.length).toBeGreaterThanOrEqual(atLeast);
    for (const pageSize of [200, 7]) {
      const { rows, pages } = await pageAll(sandbox, org, list, PATHS.list, { ...query, pageSize });
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / pageSize)));
      expectExactlyOnce(rows, expected);
    }
  });

  it('matches filters exactly and case-sensitively', async () => {
    const queries: Record<string, string>[] = [
      { externalSystemId: 'salesforce' },
      { externalSystemId: 'Sales' },
      { m3terIds: org.org.mappings[0]!.m3terId.toUpperCase() },
    ];
    for (const query of queries) {
      const res = await orgCall(sandbox, org, 'GET', list, { query });
      expectSpec(res, 'GET', PATHS.list, 200);
      expect(res.body).toEqual({ data: [] });
    }
  });

  it('treats a comma in m3terIds as part of one id', async () => {
    const [x, y] = [...new Set(org.org.mappings.map((m) => m.m3terId))];
    const res = await orgCall(sandbox, org, 'GET', list, { query: { m3terIds: `${x},${y}` } });
    expectSpec(res, 'GET', PATHS.list, 200);
    expect(res.body.data).toEqual([]);
  });

  it('answers 400 to a single-valued filter given twice', async () => {
    const res = await orgCall(sandbox, org, 'GET', list, { query: { externalSystemId: ['Salesforce', 'Stripe'] } });
    expectError(res, 'GET', PATHS.list, 400, /externalSystemId/);
  });
});

describe('m3ter: lookups by external record and by m3ter object', () => {
  it('finds every mapping of one external record, URL-decoded and paged', async () => {
    const conflict = sandbox.fixtures.facts.conflicts.find((c) => c.provider === 'm3ter' && c.tenant === org.orgId)!;
    const expected = org.org.mappings.filter((m) => m.externalSystem === conflict.externalSystem && m.externalId === conflict.externalId);
    expect(expected.length).toBe(2);
    const path = `/externalmappings/externalid/${conflict.externalSystem}/Account/${encodeURIComponent(conflict.externalId)}`;
    const { rows, pages } = await pageAll(sandbox, org, path, PATHS.byExternalId, { pageSize: 1 });
    expect(pages).toBe(2);
    expectExactlyOnce(rows, expected);
  });

  it('decodes free-text segments: slashes, spaces, ? and # in an external id', async () => {
    const externalId = 'a/b c?d#e%f+g';
    const created = await orgCall(sandbox, org, 'POST', list, { body: mappingRequest('free-text', { externalTable: 'Custom Table', externalId }) });
    expectSpec(created, 'POST', PATHS.list, 200);
    const res = await orgCall(sandbox, org, 'GET', `/externalmappings/externalid/Salesforce/${encodeURIComponent('Custom Table')}/${encodeURIComponent(externalId)}`);
    expectSpec(res, 'GET', PATHS.byExternalId, 200);
    expect(res.body).toEqual({ data: [created.body] });
    await orgCall(sandbox, org, 'DELETE', `/externalmappings/${created.body.id}`);
  });

  it('finds every mapping of one m3ter object, paged', async () => {
    const account = org.org.mappings.find((m) => m.externalSystem === 'Stripe')!;
    const expected = org.org.mappings.filter((m) => m.m3terEntity === 'Account' && m.m3terId === account.m3terId);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const { rows } = await pageAll(sandbox, org, `/externalmappings/external/Account/${account.m3terId}`, PATHS.byM3terObject, { pageSize: 1 });
    expectExactlyOnce(rows, expected);
  });

  it('answers an empty page for unknown records, compared case-sensitively', async () => {
    const account = org.org.mappings[0]!;
    for (const [path, template] of [
      [`/externalmappings/external/account/${account.m3terId}`, PATHS.byM3terObject],
      [`/externalmappings/externalid/${account.externalSystem}/${account.externalTable}/${account.externalId.toLowerCase()}x`, PATHS.byExternalId],
    ] as const) {
      const res = await orgCall(sandbox, org, 'GET', path);
      expectSpec(res, 'GET', template, 200);
      expect(res.body).toEqual({ data: [] });
    }
  });
});

describe('m3ter: page parameters', () => {
  it.each(['0', '201', '-1', '1.5', 'ten', '1e2', ' 5', '99999'])('answers 400 {message} to pageSize=%s', async (pageSize) => {
    for (const [path, template] of [
      [list, PATHS.list],
      [`/externalmappings/external/Account/x`, PATHS.byM3terObject],
    ] as const) {
      const res = await orgCall(sandbox, org, 'GET', path, { query: { pageSize } });
      expectError(res, 'GET', template, 400, /pageSize/);
    }
  });

  it('accepts pageSize 1 and 200, and an empty pageSize as the default', async () => {
    for (const [pageSize, rows] of [['1', 1], ['200', 200], ['', 10]] as const) {
      const res = await orgCall(sandbox, org, 'GET', list, { query: { pageSize } });
      expectSpec(res, 'GET', PATHS.list, 200);
      expect(res.body.data).toHaveLength(rows);
    }
  });

  it('answers 400 {message} to a nextToken it did not issue', async () => {
    const real = (await orgCall(sandbox, org, 'GET', list, { query: { pageSize: 1 } })).body.nextToken as string;
    const forged = Buffer.from(JSON.stringify([0, 'x', 1])).toString('base64url');
    for (const nextToken of ['garbage', 'not base64!', `${real}x`, real.slice(0, -3), forged, '%%%', 'eyJ9']) {
      const res = await orgCall(sandbox, org, 'GET', list, { query: { nextToken } });
      expectError(res, 'GET', PATHS.list, 400, /nextToken/);
    }
  });

  it('answers 400 when the filters sent with a nextToken differ from those it was issued for', async () => {
    const filtered = await orgCall(sandbox, org, 'GET', list, { query: { externalSystemId: 'Salesforce', pageSize: 2 } });
    const nextToken = filtered.body.nextToken as string;
    const others: Record<string, string>[] = [{}, { externalSystemId: 'Stripe' }, { externalSystemId: 'Salesforce', m3terIds: 'x' }];
    for (const query of others) {
      const res = await orgCall(sandbox, org, 'GET', list, { query: { ...query, nextToken } });
      expectError(res, 'GET', PATHS.list, 400, /nextToken/);
    }
    // A list token is no good for another operation either.
    const byObject = await orgCall(sandbox, org, 'GET', '/externalmappings/external/Account/x', { query: { nextToken } });
    expectError(byObject, 'GET', PATHS.byM3terObject, 400, /nextToken/);
    // The same filters, repeated, continue the list.
    const next = await orgCall(sandbox, org, 'GET', list, { query: { externalSystemId: 'Salesforce', pageSize: 2, nextToken } });
    expectSpec(next, 'GET', PATHS.list, 200);
  });

  it('neither repeats nor skips rows when mappings are created and deleted between pages', async () => {
    const before = seeded();
    const first = await orgCall(sandbox, org, 'GET', list, { query: { pageSize: 50 } });
    expect(idsOf(first.body.data)).toEqual(idsOf(before.slice(0, 50)));
    // New mappings are the newest, so they land before the cursor; a deleted one is after it.
    const created = await orgCall(sandbox, org, 'POST', list, { body: mappingRequest('between-pages') });
    expectSpec(created, 'POST', PATHS.list, 200);
    const doomed = before[120]!;
    expectSpec(await orgCall(sandbox, org, 'DELETE', `/externalmappings/${doomed.id}`), 'DELETE', PATHS.one, 200);

    const rows = [...first.body.data];
    let nextToken: string | undefined = first.body.nextToken;
    while (nextToken) {
      const page = await orgCall(sandbox, org, 'GET', list, { query: { pageSize: 50, nextToken } });
      expectSpec(page, 'GET', PATHS.list, 200);
      rows.push(...page.body.data);
      nextToken = page.body.nextToken;
    }
    expectExactlyOnce(rows, before.filter((m) => m.id !== doomed.id));

    // A fresh listing starts with the new mapping.
    const fresh = await orgCall(sandbox, org, 'GET', list, { query: { pageSize: 1 } });
    expect(fresh.body.data[0].id).toBe(created.body.id);
  });
});

describe('m3ter: an org with 5,000+ mappings', () => {
  const big = withSandbox({
    size: { companies: 1, entitiesPerCompany: 5, connectionsPerCompany: 0, customersPerCompany: 2_550, productsPerCompany: 10 },
    reset: false,
  });
  let bigOrg: OrgSession;

  beforeAll(async () => {
    bigOrg = await sessionFor(big, 0);
  });

  it('pages through all of them exactly once, unfiltered and filtered', async () => {
    const all = bigOrg.org.mappings;
    expect(all.length).toBeGreaterThanOrEqual(5_000);
    const unfiltered = await pageAll(big, bigOrg, list, PATHS.list, { pageSize: 200 });
    expectExactlyOnce(unfiltered.rows, all);
    const stripe = await pageAll(big, bigOrg, list, PATHS.list, { pageSize: 200, externalSystemId: 'Stripe' });
    expectExactlyOnce(stripe.rows, all.filter((m) => m.externalSystem === 'Stripe'));
  });
});

describe('m3ter: configuration', () => {
  it('answers the org\'s configuration', async () => {
    const res = await orgCall(sandbox, org, 'GET', '/externalmappingconfiguration');
    expectSpec(res, 'GET', PATHS.configuration, 200);
    expect(res.body).toEqual(org.org.configuration);
  });

  it('answers [] for external values, with and without integration credentials', async () => {
    const plain = await orgCall(sandbox, org, 'GET', '/externalmappingconfiguration/values/Salesforce/Account', { query: { externalTable: 'Account' } });
    expectSpec(plain, 'GET', PATHS.values, 200);
    expect(plain.body).toEqual([]);
    const withCredentials = await orgCall(sandbox, org, 'GET', '/externalmappingconfiguration/values/Salesforce/Account/cred-1');
    expectSpec(withCredentials, 'GET', PATHS.valuesWithCredentials, 200);
    expect(withCredentials.body).toEqual([]);
  });
});
