import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '../../../src/errors.js';
import { createLinksToLoader } from '../../../src/loaders/links-to-loader.js';
import type { RequestProviders } from '../../../src/loaders/request-providers.js';
import type { M3terClient } from '../../../src/upstreams/m3ter/client.js';
import { m3terLinks } from '../../../src/upstreams/m3ter/m3ter-links.js';
import { createSystemNames } from '../../../src/upstreams/m3ter/system-names.js';
import type { RevioClient } from '../../../src/upstreams/revio/client.js';
import { buildRevioCatalog } from '../../../src/upstreams/revio/revio-catalog.js';
import { revioLinks } from '../../../src/upstreams/revio/revio-links.js';

function mapping(id: string, externalSystem: string, externalId: string) {
  return { id, version: 1, m3terEntity: 'Account', m3terId: `m-${id}`, externalSystem, externalTable: 'Account', externalId, dtCreated: '2024-01-01T00:00:00Z', dtLastModified: '2024-01-01T00:00:00Z', createdBy: 'u', lastModifiedBy: 'u' };
}
const keyLink = (id: number, system: number, externalId: string) => ({ integration_key_link_id: id, integration_system_id: system, integration_entity_type_id: 2, internal_id: 1000 + id, external_id: externalId, created_date: '2024-01-01T00:00:00', created_by: null });

/** The real providers over clients that answer from memory and record each call. */
function fakeProviders() {
  const calls: string[] = [];
  const catalog = buildRevioCatalog('acme', [{ id: 4, name: 'SALESFORCE' }, { id: 10, name: 'ZUORA' }, { id: 11, name: 'M3TER' }], [{ id: 2, name: 'CUSTOMER' }], { zuora: 'ZUORA', m3ter: 'M3TER' });
  const getConfiguration = async () => {
    calls.push('m3ter configuration');
    return { m3terEntities: ['Account'], externalSystems: [{ name: 'Salesforce' }, { name: 'Zuora' }] };
  };
  // As the real client: spellings from the configuration, loaded once and kept.
  const names = createSystemNames({ load: getConfiguration });
  const m3terClient = {
    orgId: 'org-1',
    getConfiguration,
    systemName: (name: string) => names.spelling(name),
    async listAllMappings({ externalSystem }: { externalSystem: string }) {
      calls.push(`m3ter list ${externalSystem}`);
      if (externalSystem === 'Stripe') throw new UpstreamUnavailableError({ vendor: 'm3ter', operation: 'listMappings', retryable: true });
      return [mapping('1', 'Salesforce', 'SF1'), mapping('2', 'Salesforce', 'sf1'), mapping('3', 'Salesforce', 'SF2')].filter((m) => m.externalSystem === externalSystem);
    },
  } as unknown as M3terClient;
  const revioClient = {
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
  } as unknown as RevioClient;
  const m3ter = m3terLinks(m3terClient);
  const revio = revioLinks(revioClient);
  const providers = { m3ter, revio, links: (provider: string) => (provider === 'M3TER' ? m3ter : revio) } as unknown as RequestProviders;
  return { providers, calls };
}

describe('links-to loaders: batching', () => {
  it('answers many records of one system with one m3ter list, ids compared exactly, in key order', async () => {
    const { providers, calls } = fakeProviders();
    const loader = createLinksToLoader('M3TER', providers, 'r1');
    const [a, b, c] = await Promise.all([loader.load({ system: 'SALESFORCE', id: 'SF1' }), loader.load({ system: 'salesforce', id: 'SF2' }), loader.load({ system: 'Salesforce', id: 'SF9' })]);
    expect(a.map((l) => l.nativeId)).toEqual(['1']);
    expect(b.map((l) => l.nativeId)).toEqual(['3']);
    expect(c).toEqual([]);
    expect(calls).toEqual(['m3ter configuration', 'm3ter list Salesforce']);
  });

  it('fails only the keys of the system whose list failed', async () => {
    const { providers } = fakeProviders();
    const loader = createLinksToLoader('M3TER', providers, 'r1');
    const [ok, failed] = await Promise.allSettled([loader.load({ system: 'Salesforce', id: 'SF1' }), loader.load({ system: 'Stripe', id: 'cus_1' })]);
    expect(ok.status).toBe('fulfilled');
    expect(failed).toMatchObject({ status: 'rejected', reason: expect.any(UpstreamUnavailableError) });
  });

  it('uses one exact Rev.io search for a single record and one broad search for many', async () => {
    const { providers, calls } = fakeProviders();
    const single = createLinksToLoader('REVIO', providers, 'r1');
    expect((await single.load({ system: 'Salesforce', id: 'SF1' })).map((l) => l.external.id)).toEqual(['SF1']);
    const many = createLinksToLoader('REVIO', providers, 'r1');
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
