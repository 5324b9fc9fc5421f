import { afterEach, describe, expect, it } from 'vitest';
import { withSandbox } from '../helpers/with-sandbox.js';
import { closeClients, hyphenated, makeClient, tenantConfig, tenantFixture, zuoraEntries } from '../helpers/vendors/zuora.js';

const sandbox = withSandbox({ size: 'medium', reset: false });
afterEach(closeClients);

describe('Zuora client: tenants side by side', () => {
  it('keeps two tenants used in parallel apart: own data, own entity header, own token', async () => {
    const tenants = [tenantFixture(sandbox, 0), tenantFixture(sandbox, 1)];
    const clients = tenants.map((t) => makeClient(sandbox, tenantConfig(t.admin)).client);
    const mark = sandbox.ledger.mark;

    const results = await Promise.all(
      tenants.flatMap((t, i) =>
        t.fixture.entities.map(async (entity) => ({
          tenant: i,
          entity: entity.id,
          entities: await clients[i]!.listEntities({ entityId: entity.id, requestId: `t${i}-${entity.id}` }),
          connections: await clients[i]!.listAllConnections({ entityId: entity.id, requestId: `t${i}-${entity.id}` }),
        })),
      ),
    );

    for (const result of results) {
      const own = tenants[result.tenant]!.fixture;
      expect(result.entities.map((e) => e.id)).toEqual(own.entities.map((e) => e.id));
      expect(result.entities.every((e) => e.tenantId === own.tenantId)).toBe(true);
      const expected = own.connections.filter((c) => c.sourceEntityId === result.entity || c.targetEntityId === result.entity);
      expect(result.connections.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    }

    // On the wire: every /v1 call names an entity of the tenant whose request it is.
    const calls = zuoraEntries(sandbox, mark, '/v1/');
    expect(calls).toHaveLength(results.length * 2);
    for (const call of calls) {
      const [, index, entity] = /^t(\d)-([0-9a-f]{32})$/.exec(call.headers['zuora-track-id'] ?? '') ?? [];
      expect(entity, 'every call carries its track id').toBeDefined();
      expect(call.headers['zuora-entity-ids']).toBe(hyphenated(entity!));
      expect(call.tenant).toBe(hyphenated(entity!));
      const own = tenants[Number(index)]!.fixture.entities.map((e) => e.id);
      expect(own).toContain(entity);
    }
    expect(sandbox.ledger.count({ vendor: 'zuora', path: '/oauth/token', sinceSeq: mark })).toBe(2);
  });

  it('keeps two clients of one tenant with different scopes apart', async () => {
    const tenant = tenantFixture(sandbox, 2);
    const first = makeClient(sandbox, tenantConfig(tenant.entityAdmin(1))).client;
    const second = makeClient(sandbox, tenantConfig(tenant.entityAdmin(2))).client;
    const [a, b] = await Promise.all([
      first.listAllConnections({ entityId: tenant.entityId(1) }),
      second.listAllConnections({ entityId: tenant.entityId(2) }),
    ]);
    const of = (entity: string) => tenant.fixture.connections.filter((c) => c.sourceEntityId === entity || c.targetEntityId === entity).map((c) => c.id);
    expect(a.map((c) => c.id)).toEqual(of(tenant.entityId(1)));
    expect(b.map((c) => c.id)).toEqual(of(tenant.entityId(2)));
    // Neither client can be pointed at the other's entity: refused before any request.
    await expect(first.listAllConnections({ entityId: tenant.entityId(2) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
