import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSandbox } from '../helpers/with-sandbox.js';
import { CUSTOMER, fixtureClient, SALESFORCE, testClient, type TestClient } from '../helpers/vendors/revio.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox();
let a: TestClient;
let b: TestClient;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  a = testClient(sandbox, 0, {}, cleanups);
  b = testClient(sandbox, 1, {}, cleanups);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const sorted = <T extends { integration_key_link_id: number }>(links: T[]) => [...links].sort((x, y) => x.integration_key_link_id - y.integration_key_link_id);

describe('Rev.io client: tenancy', () => {
  it('keeps two tenants apart when used in parallel, though their link ids collide', async () => {
    const ids = [1, 2, 3, 4, 5];
    const [linksA, linksB, onesA, onesB] = await Promise.all([
      a.client.searchKeyLinks({ requestId: 'tenant-a' }),
      b.client.searchKeyLinks({ requestId: 'tenant-b' }),
      Promise.all(ids.map((id) => a.client.getKeyLink({ id, requestId: 'tenant-a' }))),
      Promise.all(ids.map((id) => b.client.getKeyLink({ id, requestId: 'tenant-b' }))),
    ]);
    const fixtureA = fixtureClient(sandbox, 0);
    const fixtureB = fixtureClient(sandbox, 1);
    expect(linksA).toEqual(sorted(fixtureA.keyLinks));
    expect(linksB).toEqual(sorted(fixtureB.keyLinks));
    // Same ids, different records: each client only ever reads its own database.
    expect(onesA).toEqual(ids.map((id) => fixtureA.keyLinks.find((l) => l.integration_key_link_id === id)));
    expect(onesB).toEqual(ids.map((id) => fixtureB.keyLinks.find((l) => l.integration_key_link_id === id)));
    expect(onesA).not.toEqual(onesB);

    // Every request carried its own tenant's subscription key (the ledger's tenant comes from it).
    const entries = sandbox.ledger.list();
    expect(entries).toHaveLength(12);
    for (const entry of entries) {
      const expected = entry.headers['x-request-id'] === 'tenant-a' ? fixtureA.clientCode : fixtureB.clientCode;
      expect(entry.tenant).toBe(expected);
      expect(entry.status).toBe(200);
    }
    expect(sandbox.ledger.count({ tenant: fixtureA.clientCode })).toBe(6);
  });

  it("writes in one tenant never appear in another's searches", async () => {
    const link = { integration_system_id: SALESFORCE, integration_entity_type_id: CUSTOMER, internal_id: 9004, external_id: 'tenant-private' };
    const created = await a.client.createKeyLink({ before: ExistedBefore.of([]), link });
    const [inA, inB] = await Promise.all([a.client.searchKeyLinks({ search: link }), b.client.searchKeyLinks({ search: link })]);
    expect(inA.map((l) => l.integration_key_link_id)).toEqual([created.id]);
    expect(inB).toEqual([]);
    // The same id in tenant B is B's own seeded link, or none.
    expect(await b.client.getKeyLink({ id: created.id })).toBeUndefined();
    expect(sandbox.ledger.list({ method: 'POST' }).map((e) => e.tenant)).toEqual([fixtureClient(sandbox, 0).clientCode]);
  });

  it('resolves a catalog per client', async () => {
    const [catalogA, catalogB] = await Promise.all([a.client.resolveCatalog(), b.client.resolveCatalog()]);
    expect(catalogA).not.toBe(catalogB);
    expect(catalogA.linkedSystems).toEqual(catalogB.linkedSystems);
    expect(sandbox.ledger.count({ tenant: fixtureClient(sandbox, 0).clientCode })).toBe(2);
    expect(sandbox.ledger.count({ tenant: fixtureClient(sandbox, 1).clientCode })).toBe(2);
  });
});
