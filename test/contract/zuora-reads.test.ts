import { beforeAll, describe, expect, it } from 'vitest';
import { http, type HttpResult } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectFailure, expectSuccess, hyphenated, sessionFor, type TenantFixture, tenantFixture, type ZuoraSession } from '../helpers/vendors/zuora.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const TRANSITION = '/v1/entity-connections/{connection-id}';

interface Row {
  id: string;
  sourceEntityId: string;
  targetEntityId: string;
}

describe('Zuora sandbox: reading entities', () => {
  const sandbox = withSandbox({ size: 'medium', reset: false });
  let acme: TenantFixture;
  let reader: ZuoraSession;
  beforeAll(async () => {
    // Medium seeds some unprovisioned entities for the filter to find.
    acme = tenantFixture(sandbox, 0);
    // Any caller may read: a non-admin acting as a leaf entity.
    reader = await sessionFor(sandbox, acme.reader, acme.fixture.entities[3]?.id as string);
  });

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

describe('Zuora sandbox: listing entity connections', () => {
  const sandbox = withSandbox({ reset: false });
  let acme: TenantFixture;
  let entity: string;
  let session: ZuoraSession;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
    entity = acme.fixture.entities[1]?.id as string;
    session = await sessionFor(sandbox, acme.reader, entity);
  });

  const seeded = (filter: (c: { sourceEntityId: string; targetEntityId: string }) => boolean) => acme.fixture.connections.filter(filter);

  it("lists the acting entity's connections in both directions, oldest first, Disconnected included", async () => {
    const res = await session.call('/v1/entity-connections');
    expectSuccess(res);
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, res.body);
    const expected = seeded((c) => c.sourceEntityId === entity || c.targetEntityId === entity);
    expect(res.body.entityConnections).toEqual(expected);
    expect(res.body.nextPage).toBeUndefined();
  });

  it('lists only inbound or only outbound connections on request', async () => {
    const inbound = await session.call('/v1/entity-connections?type=inbound');
    const outbound = await session.call('/v1/entity-connections?type=outbound');
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, inbound.body);
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, outbound.body);
    expect(inbound.body.entityConnections).toEqual(seeded((c) => c.targetEntityId === entity));
    expect(outbound.body.entityConnections).toEqual(seeded((c) => c.sourceEntityId === entity));
  });

  it('answers 50000027 for an unknown type', async () => {
    expectFailure(await session.call('/v1/entity-connections?type=sideways'), 50000027);
  });
});

describe('Zuora sandbox: paging entity connections', () => {
  const sandbox = withSandbox({ size: { companies: 2, entitiesPerCompany: 3, connectionsPerCompany: 700, customersPerCompany: 4, productsPerCompany: 1 }, reset: false });
  let session: ZuoraSession;
  let seeded: Row[];
  beforeAll(async () => {
    // Three entities sharing 700 connections: each sees far more than one 300-row page.
    const acme = tenantFixture(sandbox, 0);
    const entity = acme.fixture.entities[1]?.id as string;
    seeded = acme.fixture.connections.filter((c) => c.sourceEntityId === entity || c.targetEntityId === entity);
    session = await sessionFor(sandbox, acme.reader, entity);
  });

  const page = async (query: string) => {
    const res = await session.call(`/v1/entity-connections${query}`);
    expectSuccess(res);
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, res.body);
    return res.body as { entityConnections: Row[]; nextPage?: string };
  };

  it('returns every connection of the entity exactly once when following nextPage to the end', async () => {
    expect(seeded.length, 'fixture assumption: more than 300 rows').toBeGreaterThan(300);
    const seen: string[] = [];
    let url: string | undefined = `${sandbox.urls.zuora}/v1/entity-connections?pageSize=1000`;
    let pages = 0;
    while (url) {
      const res: HttpResult = await http(url, { headers: { authorization: `Bearer ${session.token}`, 'zuora-entity-ids': hyphenated(session.entity) } });
      expectSuccess(res);
      expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, res.body);
      // pageSize above the maximum counts as 300.
      expect(res.body.entityConnections.length).toBe(Math.min(300, seeded.length - seen.length));
      seen.push(...res.body.entityConnections.map((c: Row) => c.id));
      url = res.body.nextPage;
      if (url) expect(url).toMatch(new RegExp(`^${sandbox.urls.zuora}/v1/entity-connections\\?page=${pages + 2}&pageSize=300$`));
      pages++;
    }
    expect(pages).toBe(Math.ceil(seeded.length / 300));
    expect(seen).toEqual(seeded.map((c) => c.id));
  });

  it('pages 30 rows by default and for a page size below 1 or not a number', async () => {
    const first30 = seeded.slice(0, 30).map((c) => c.id);
    for (const query of ['', '?pageSize=0', '?pageSize=-5', '?pageSize=abc', '?pageSize=2.5']) {
      const body = await page(query);
      expect(body.entityConnections.map((c) => c.id)).toEqual(first30);
      expect(body.nextPage).toMatch(/\?page=2&pageSize=30$/);
    }
  });

  it('serves page N of pageSize M as rows (N-1)*M onwards', async () => {
    const body = await page('?page=3&pageSize=7');
    expect(body.entityConnections.map((c) => c.id)).toEqual(seeded.slice(14, 21).map((c) => c.id));
  });

  it('leaves nextPage out on the last page and answers an empty success past the end', async () => {
    const last = Math.ceil(seeded.length / 100);
    const lastPage = await page(`?page=${last}&pageSize=100`);
    expect(lastPage.entityConnections.length).toBe(seeded.length - (last - 1) * 100);
    expect(lastPage.nextPage).toBeUndefined();
    const beyond = await page(`?page=${last + 5}&pageSize=100`);
    expect(beyond.entityConnections).toEqual([]);
    expect(beyond.nextPage).toBeUndefined();
  });

  it('keeps the type filter in nextPage', async () => {
    const inbound = seeded.filter((c) => c.targetEntityId === session.entity);
    const seen: string[] = [];
    let body = await page('?type=inbound&pageSize=50');
    seen.push(...body.entityConnections.map((c) => c.id));
    while (body.nextPage) {
      expect(body.nextPage).toContain('type=inbound');
      const next = new URL(body.nextPage);
      body = await page(next.search);
      seen.push(...body.entityConnections.map((c) => c.id));
    }
    expect(seen).toEqual(inbound.map((c) => c.id));
  });

  it('answers 50000027 for a page that is not a positive integer', async () => {
    for (const bad of ['0', '-1', 'two', '1.5', '']) {
      expectFailure(await session.call(`/v1/entity-connections?page=${bad}`), 50000027);
    }
  });
});
