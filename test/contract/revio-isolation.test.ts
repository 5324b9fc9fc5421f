import { beforeAll, describe, expect, it } from 'vitest';
import { type RevioSession, revioSession } from '../helpers/vendors/revio.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const LIST = '/v1/IntegrationKeyLink';

describe('Rev.io sandbox: each client is its own tenant', () => {
  const sandbox = withSandbox();
  let a: RevioSession;
  let b: RevioSession;
  beforeAll(async () => {
    a = revioSession(sandbox, 0);
    b = revioSession(sandbox, 1);
  });

  const seededLink = (tenant: RevioSession, id: number) => tenant.client.keyLinks.find((l) => l.integration_key_link_id === id);

  it('serves each client its own link under the same id', async () => {
    const fromA = await a.call(`${LIST}/1`);
    const fromB = await b.call(`${LIST}/1`);
    expect(fromA.body).toMatchObject({ ...seededLink(a, 1) });
    expect(fromB.body).toMatchObject({ ...seededLink(b, 1) });
    expect(fromA.body.external_id).not.toBe(fromB.body.external_id);
  });

  it("never finds another client's links by search", async () => {
    const other = seededLink(b, 1);
    const res = await a.call(`${LIST}?search.external_id=${encodeURIComponent(other?.external_id ?? '')}`);
    expect(res.status).toBe(200);
    expect(res.body.records).toEqual([]);
    const all = await a.call(`${LIST}?search.page_size=500`);
    expect(all.body.records).toHaveLength(a.client.keyLinks.length);
  });

  it("leaves another client's link alone when one client replaces or deletes the same id", async () => {
    const bBefore = (await b.call(`${LIST}/1`)).body;
    const put = await a.call(`${LIST}/1`, {
      method: 'PUT',
      body: { integration_system_id: 10, integration_entity_type_id: 2, internal_id: 9000, external_id: 'from-a' },
    });
    expect(put.status).toBe(200);
    expect((await b.call(`${LIST}/1`)).body).toEqual(bBefore);
    expect((await a.call(`${LIST}/1`, { method: 'DELETE' })).status).toBe(200);
    expect((await b.call(`${LIST}/1`)).body).toEqual(bBefore);
    expect((await a.call(`${LIST}/1`)).status).toBe(404);
  });

  it("answers 404 when a client reads an id that exists only in another client's data", async () => {
    const beyondA = Math.max(...a.client.keyLinks.map((l) => l.integration_key_link_id)) + 1;
    await b.call(LIST, { method: 'POST', body: { integration_system_id: 4, integration_entity_type_id: 2, internal_id: 9000, external_id: 'b-only' } });
    const bIds = await b.call(`${LIST}?search.external_id=b-only`);
    const bId = bIds.body.records[0].integration_key_link_id as number;
    if (bId < beyondA) throw new Error('fixture assumption: client B has at least as many links as client A');
    for (let id = beyondA; id <= bId; id++) {
      const read = await a.call(`${LIST}/${id}`);
      expect(read.status).toBe(404);
    }
    expect((await a.call(`${LIST}/${bId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await b.call(`${LIST}/${bId}`)).status).toBe(200);
  });

  it('numbers new links per client', async () => {
    const body = { integration_system_id: 4, integration_entity_type_id: 2, internal_id: 9001, external_id: 'per-client' };
    const fromA = await a.call(LIST, { method: 'POST', body });
    const fromB = await b.call(LIST, { method: 'POST', body });
    expect(fromA.body.id).toBe(Math.max(...a.client.keyLinks.map((l) => l.integration_key_link_id)) + 1);
    expect(fromB.body.id).toBe(Math.max(...b.client.keyLinks.map((l) => l.integration_key_link_id)) + 1);
    expect((await b.call(`${LIST}?search.external_id=per-client`)).body.record_count).toBe(1);
  });
});
