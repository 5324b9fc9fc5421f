import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '../../../src/errors.js';
import { createCatalogLoaders } from '../../../src/loaders/catalog-loaders.js';
import { createM3terLinkLoader } from '../../../src/loaders/m3ter-link-loaders.js';
import { createRevioLinkLoader } from '../../../src/loaders/revio-link-loaders.js';
import type { TenantClients } from '../../../src/loaders/tenant-clients.js';
import { buildRevioCatalog } from '../../../src/upstreams/revio/revio-catalog.js';
import { createSystemNames } from '../../../src/upstreams/m3ter/system-names.js';

function mapping(id: string, externalSystem: string, externalId: string) {
  return { id, version: 1, m3terEntity: 'Account', m3terId: `m-${id}`, externalSystem, externalTable: 'Account', externalId, dtCreated: '2024-01-01T00:00:00Z', dtLastModified: '2024-01-01T00:00:00Z', createdBy: 'u', lastModifiedBy: 'u' };
}
const keyLink = (id: number, system: number, externalId: string) => ({ integration_key_link_id: id, integration_system_id: system, integration_entity_type_id: 2, internal_id: 1000 + id, external_id: externalId, created_date: '2024-01-01T00:00:00', created_by: null });

function fakeClients() {
  const calls: string[] = [];
  const catalog = buildRevioCatalog('acme', [{ id: 4, name: 'SALESFORCE' }, { id: 10, name: 'ZUORA' }, { id: 11, name: 'M3TER' }], [{ id: 2, name: 'CUSTOMER' }], { zuora: 'ZUORA', m3ter: 'M3TER' });
  const clients = {
    m3ter: {
      orgId: 'org-1',
      async getConfiguration() {
        calls.push('m3ter configuration');
        return { m3terEntities: ['Account'], externalSystems: [{ name: 'Salesforce' }, { name: 'Zuora' }] };
      },
      async listAllMappings({ externalSystem }: { externalSystem: string }) {
        calls.push(`m3ter list ${externalSystem}`);
        if (externalSystem === 'Stripe') throw new UpstreamUnavailableError({ vendor: 'm3ter', operation: 'listMappings', retryable: true });
        return [mapping('1', 'Salesforce', 'SF1'), mapping('2', 'Salesforce', 'sf1'), mapping('3', 'Salesforce', 'SF2')].filter((m) => m.externalSystem === externalSystem);
      },
    },
    revio: {
      clientCode: 'acme',
      resolveCatalog: async () => catalog,
      async searchKeyLinks({ search }: { search: { external_id: string } }) {
        calls.push(`revio exact ${search.external_id}`);
        return [keyLink(1, 4, search.external_id)];
      },
      async findKeyLinks({ systemId, externalIds }: { systemId: number; externalIds: string[] }) {
        calls.push(`revio broad ${systemId}`);
        return [keyLink(1, systemId, 'SF1'), keyLink(2, systemId, 'SF2')].filter((l) => externalIds.includes(l.external_id));
      },
    },
  } as unknown as TenantClients;
  // As the real client: spellings from the configuration, loaded once and kept.
  const names = createSystemNames({ load: () => clients.m3ter.getConfiguration() });
  (clients.m3ter as { systemName: (name: string) => Promise<string> }).systemName = (name) => names.spelling(name);
  return { clients, calls };
}

describe('link loaders: batching', () => {
  it('answers many records of one system with one m3ter list, ids compared exactly, in key order', async () => {
    const { clients, calls } = fakeClients();
    const loader = createM3terLinkLoader(clients, createCatalogLoaders(clients, 'r1'), 'r1');
    const [a, b, c] = await Promise.all([loader.load({ system: 'SALESFORCE', id: 'SF1' }), loader.load({ system: 'salesforce', id: 'SF2' }), loader.load({ system: 'Salesforce', id: 'SF9' })]);
    expect(a.map((l) => l.nativeId)).toEqual(['1']);
    expect(b.map((l) => l.nativeId)).toEqual(['3']);
    expect(c).toEqual([]);
    expect(calls).toEqual(['m3ter configuration', 'm3ter list Salesforce']);
  });

  it('fails only the keys of the system whose list failed', async () => {
    const { clients } = fakeClients();
    const loader = createM3terLinkLoader(clients, createCatalogLoaders(clients, 'r1'), 'r1');
    const [ok, failed] = await Promise.allSettled([loader.load({ system: 'Salesforce', id: 'SF1' }), loader.load({ system: 'Stripe', id: 'cus_1' })]);
    expect(ok.status).toBe('fulfilled');
    expect(failed).toMatchObject({ status: 'rejected', reason: expect.any(UpstreamUnavailableError) });
  });

  it('uses one exact Rev.io search for a single record and one broad search for many', async () => {
    const { clients, calls } = fakeClients();
    const catalogs = createCatalogLoaders(clients, 'r1');
    const single = createRevioLinkLoader(clients, catalogs, 'r1');
    expect((await single.load({ system: 'Salesforce', id: 'SF1' })).map((l) => l.external.id)).toEqual(['SF1']);
    const many = createRevioLinkLoader(clients, catalogs, 'r1');
    const [a, b, none, unknownSystem] = await Promise.all([
      many.load({ system: 'SALESFORCE', id: 'SF1' }),
      many.load({ system: 'SALESFORCE', id: 'SF2' }),
      many.load({ system: 'SALESFORCE', id: 'SF3' }),
      many.load({ system: 'NETSUITE', id: 'N1' }),
    ]);
    expect([a.length, b.length, none.length, unknownSystem.length]).toEqual([1, 1, 0, 0]);
    expect(calls).toEqual(['revio exact SF1', 'revio broad 4']);
  });
});
