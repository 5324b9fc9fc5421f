import { describe, expect, it } from 'vitest';
import { buildFixtures, REVIO_SYSTEMS } from '../../../sandbox/fixtures/index.js';

const SALESFORCE = REVIO_SYSTEMS.find((s) => s.system_name === 'SALESFORCE')!.integration_system_id;
const ZUORA = REVIO_SYSTEMS.find((s) => s.system_name === 'ZUORA')!.integration_system_id;

describe('seeded fixtures', () => {
  it('are deterministic for a seed and differ between seeds', () => {
    expect(buildFixtures({ seed: 7 })).toEqual(buildFixtures({ seed: 7 }));
    expect(buildFixtures({ seed: 7 }).zuora.tenants[0]!.entities[0]!.id).not.toBe(buildFixtures({ seed: 8 }).zuora.tenants[0]!.entities[0]!.id);
  });

  it('keep credentials and record ids stable when the size changes', () => {
    const small = buildFixtures({ size: 'small' });
    const large = buildFixtures({ size: 'large' });
    expect(large.zuora.tenants[0]!.clients[0]).toMatchObject({ clientId: small.zuora.tenants[0]!.clients[0]!.clientId });
    expect(large.m3ter.orgs[0]!.orgId).toBe(small.m3ter.orgs[0]!.orgId);
    expect(large.facts.companies[0]!.customers[0]).toEqual(small.facts.companies[0]!.customers[0]);
  });

  it('meet the large preset volumes', () => {
    const f = buildFixtures({ size: 'large' });
    const sum = <T>(items: T[], count: (item: T) => number) => items.reduce((n, item) => n + count(item), 0);
    expect(sum(f.zuora.tenants, (t) => t.entities.length)).toBeGreaterThanOrEqual(50);
    expect(sum(f.zuora.tenants, (t) => t.connections.length)).toBeGreaterThanOrEqual(500);
    expect(sum(f.m3ter.orgs, (o) => o.mappings.length)).toBeGreaterThanOrEqual(5000);
    expect(sum(f.revio.clients, (c) => c.keyLinks.length)).toBeGreaterThanOrEqual(5000);
    expect(f.zuora.tenants.every((t) => t.entities.length <= 300)).toBe(true);
  });

  it('have at least three tenants per vendor', () => {
    const f = buildFixtures();
    expect(f.zuora.tenants.length).toBeGreaterThanOrEqual(3);
    expect(f.m3ter.orgs.length).toBeGreaterThanOrEqual(3);
    expect(f.revio.clients.length).toBeGreaterThanOrEqual(3);
  });

  it('show the same customer consistently in m3ter and Rev.io', () => {
    const f = buildFixtures();
    f.facts.companies.forEach((company, c) => {
      const org = f.m3ter.orgs[c]!;
      const client = f.revio.clients[c]!;
      for (const customer of company.customers) {
        expect(org.mappings).toContainEqual(expect.objectContaining({ m3terEntity: 'Account', m3terId: customer.m3terAccountId, externalSystem: 'Salesforce', externalId: customer.salesforceAccountId }));
        expect(client.keyLinks).toContainEqual(expect.objectContaining({ integration_system_id: SALESFORCE, internal_id: customer.revioCustomerId, external_id: customer.salesforceAccountId }));
      }
    });
  });

  it('map every Zuora entity from m3ter and key-link it from Rev.io', () => {
    const f = buildFixtures();
    f.zuora.tenants.forEach((tenant, c) => {
      for (const entity of tenant.entities) {
        expect(f.m3ter.orgs[c]!.mappings).toContainEqual(expect.objectContaining({ externalSystem: 'Zuora', externalTable: 'Entity', externalId: entity.id }));
        expect(f.revio.clients[c]!.keyLinks).toContainEqual(expect.objectContaining({ integration_system_id: ZUORA, external_id: entity.id }));
      }
    });
  });

  it('include deliberate conflicts: one external id linked to two internal objects', () => {
    const f = buildFixtures();
    expect(f.facts.conflicts.length).toBeGreaterThanOrEqual(6);
    for (const conflict of f.facts.conflicts) {
      const internals: (string | number)[] =
        conflict.provider === 'm3ter'
          ? f.m3ter.orgs.find((o) => o.orgId === conflict.tenant)!.mappings.filter((m) => m.externalId === conflict.externalId).map((m) => m.m3terId)
          : f.revio.clients.find((c) => c.clientCode === conflict.tenant)!.keyLinks.filter((l) => l.external_id === conflict.externalId).map((l) => l.internal_id);
      expect(new Set(internals).size).toBe(2);
    }
  });

  it('obey the vendors’ own rules: id formats, hierarchy, provisioned connection ends, no duplicate active pairs', () => {
    const f = buildFixtures({ size: 'medium' });
    for (const tenant of f.zuora.tenants) {
      const byId = new Map(tenant.entities.map((e) => [e.id, e]));
      expect(byId.size).toBe(tenant.entities.length);
      expect(tenant.entities.filter((e) => e.parentId === null)).toHaveLength(1);
      for (const entity of tenant.entities) {
        expect(entity.id).toMatch(/^[0-9a-f]{32}$/);
        expect(entity.name).toMatch(/^[A-Za-z0-9 .-]{1,255}$/);
        if (entity.parentId) expect(byId.has(entity.parentId)).toBe(true);
      }
      const active = new Set<string>();
      for (const connection of tenant.connections) {
        expect(connection.sourceEntityId).not.toBe(connection.targetEntityId);
        if (connection.status === 'Disconnected') continue;
        expect(byId.get(connection.sourceEntityId)!.status).toBe('Provisioned');
        expect(byId.get(connection.targetEntityId)!.status).toBe('Provisioned');
        const pair = `${connection.sourceEntityId}>${connection.targetEntityId}`;
        expect(active.has(pair)).toBe(false);
        active.add(pair);
      }
      for (const client of tenant.clients) expect(client.clientId).toHaveLength(36);
    }
    for (const org of f.m3ter.orgs) {
      expect(new Set(org.mappings.map((m) => m.id)).size).toBe(org.mappings.length);
      for (const m of org.mappings) expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    for (const client of f.revio.clients) {
      for (const link of client.keyLinks) {
        expect(link.created_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
        expect(client.internalIds[link.integration_entity_type_id]).toContain(link.internal_id);
      }
    }
  });

  it('hold two Salesforce ids that differ only by case', () => {
    const ids = buildFixtures().facts.companies[0]!.customers.map((c) => c.salesforceAccountId);
    const lowered = ids.map((id) => id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(lowered).size).toBe(ids.length - 1);
  });
});
