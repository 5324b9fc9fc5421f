import { describe, expect, it } from 'vitest';
import { externalLinkFromMapping, mappingConfigurationFrom, M3TER_SYSTEM } from '../../../src/upstreams/m3ter/mapper.js';
import type { M3terMapping, M3terMappingConfiguration } from '../../../src/upstreams/m3ter/m3ter-types.js';

const ORG = 'cdb0329b-d2d3-4f30-8838-1872c59d0c30';

const FULL: M3terMapping = {
  id: 'd2dd9864-a6d5-4cf5-bb96-991717777e51',
  version: 3,
  m3terEntity: 'Account',
  m3terId: 'b1d761f9-b0f2-4da6-89aa-aa44cfd417f0',
  externalSystem: 'Salesforce',
  externalTable: 'Account',
  externalId: '0015g00000XyZabAAB',
  integrationConfigId: 'a8a7e1c2-0000-4000-8000-000000000001',
  dtCreated: '2024-01-02T09:40:00.000Z',
  dtLastModified: '2024-01-05T10:00:00Z',
  createdBy: 'service-user-a7307768',
  lastModifiedBy: 'ops@example.com',
};

/** A mapping with only the spec's required fields, plus whatever a test adds. */
function minimal(extra: Record<string, unknown> = {}): M3terMapping {
  return { id: 'm-1', m3terEntity: 'Account', m3terId: 'acct-1', externalSystem: 'Stripe', externalTable: 'Customer', externalId: 'cus_1', ...extra } as M3terMapping;
}

describe('m3ter mapper: mapping → ExternalLink', () => {
  it('maps every field of a full mapping', () => {
    expect(externalLinkFromMapping(FULL, ORG)).toEqual({
      provider: 'M3TER',
      nativeId: FULL.id,
      tenant: ORG,
      internal: { system: M3TER_SYSTEM, type: 'Account', id: FULL.m3terId },
      external: { system: 'Salesforce', type: 'Account', id: '0015g00000XyZabAAB' },
      version: 3,
      createdAt: '2024-01-02T09:40:00.000Z',
      updatedAt: '2024-01-05T10:00:00Z',
      createdBy: 'service-user-a7307768',
      updatedBy: 'ops@example.com',
      integrationConfigId: 'a8a7e1c2-0000-4000-8000-000000000001',
    });
  });

  it('names the internal side "m3ter" and takes the tenant from the org, not the record', () => {
    const link = externalLinkFromMapping(FULL, 'another-org');
    expect(link.internal.system).toBe('m3ter');
    expect(link.tenant).toBe('another-org');
  });

  it('sets no Rev.io-only fields', () => {
    const link = externalLinkFromMapping(FULL, ORG);
    expect('systemId' in link).toBe(false);
    expect('entityTypeId' in link).toBe(false);
  });

  it('turns absent optional fields into null', () => {
    const link = externalLinkFromMapping(minimal(), ORG);
    expect(link.version).toBeNull();
    expect(link.createdAt).toBeNull();
    expect(link.updatedAt).toBeNull();
    expect(link.createdBy).toBeNull();
    expect(link.updatedBy).toBeNull();
    expect(link.integrationConfigId).toBeNull();
  });

  it('turns JSON nulls in optional fields into null', () => {
    const link = externalLinkFromMapping(
      minimal({ version: null, dtCreated: null, dtLastModified: null, createdBy: null, lastModifiedBy: null, integrationConfigId: null }),
      ORG,
    );
    expect([link.version, link.createdAt, link.updatedAt, link.createdBy, link.updatedBy, link.integrationConfigId]).toEqual([null, null, null, null, null, null]);
  });

  it('treats empty strings in optional fields as absent', () => {
    const link = externalLinkFromMapping(minimal({ integrationConfigId: '', createdBy: '', dtCreated: '' }), ORG);
    expect(link.integrationConfigId).toBeNull();
    expect(link.createdBy).toBeNull();
    expect(link.createdAt).toBeNull();
  });

  it('refuses wrongly typed optional fields rather than coercing them', () => {
    const link = externalLinkFromMapping(minimal({ version: '3', createdBy: 42, dtCreated: 1704188400000, integrationConfigId: {} }), ORG);
    expect(link.version).toBeNull();
    expect(link.createdBy).toBeNull();
    expect(link.createdAt).toBeNull();
    expect(link.integrationConfigId).toBeNull();
  });

  it('keeps version 1 (a fresh mapping) and rejects versions that are not safe integers', () => {
    expect(externalLinkFromMapping(minimal({ version: 1 }), ORG).version).toBe(1);
    expect(externalLinkFromMapping(minimal({ version: 0 }), ORG).version).toBe(0);
    expect(externalLinkFromMapping(minimal({ version: 2.5 }), ORG).version).toBeNull();
    expect(externalLinkFromMapping(minimal({ version: 2 ** 60 }), ORG).version).toBeNull();
  });

  it('keeps ids, systems and tables exactly as m3ter wrote them, odd casing included', () => {
    const link = externalLinkFromMapping(
      minimal({ id: 'ABCDEF01-2345-6789-ABCD-EF0123456789', m3terEntity: 'accountPlan', m3terId: 'Acct-MiXeD', externalSystem: 'salesforce', externalTable: 'ACCOUNT', externalId: '0015g00000xyzABC' }),
      ORG,
    );
    expect(link.nativeId).toBe('ABCDEF01-2345-6789-ABCD-EF0123456789');
    expect(link.internal).toEqual({ system: 'm3ter', type: 'accountPlan', id: 'Acct-MiXeD' });
    expect(link.external).toEqual({ system: 'salesforce', type: 'ACCOUNT', id: '0015g00000xyzABC' });
  });

  it('keeps free-text external ids byte for byte: slashes, spaces, percent signs, unicode', () => {
    for (const externalId of ['a/b/c', 'inner space', '100%', 'ü-ñ-日本', '..', "o'brien \"q\""]) {
      expect(externalLinkFromMapping(minimal({ externalId }), ORG).external.id).toBe(externalId);
    }
  });

  it('passes timestamps through untouched, offsets and precision included', () => {
    const link = externalLinkFromMapping(minimal({ dtCreated: '2024-05-01T16:24:21.293+02:00', dtLastModified: '2024-05-01T14:24:21Z' }), ORG);
    expect(link.createdAt).toBe('2024-05-01T16:24:21.293+02:00');
    expect(link.updatedAt).toBe('2024-05-01T14:24:21Z');
  });

  it('ignores fields it does not know', () => {
    const link = externalLinkFromMapping(minimal({ somethingNew: true, orgId: 'x' }), ORG);
    expect(Object.keys(link).sort()).toEqual(
      ['createdAt', 'createdBy', 'external', 'integrationConfigId', 'internal', 'nativeId', 'provider', 'tenant', 'updatedAt', 'updatedBy', 'version'],
    );
  });

  it('does not modify the record it maps', () => {
    const record = structuredClone(FULL);
    externalLinkFromMapping(record, ORG);
    expect(record).toEqual(FULL);
  });
});

describe('m3ter mapper: configuration → MappingConfiguration', () => {
  it('maps entities and systems with their tables and custom-table flag', () => {
    const configuration: M3terMappingConfiguration = {
      m3terEntities: ['Account', 'Product'],
      externalSystems: [
        { name: 'Salesforce', tables: ['Account', 'Product2'], allowCustomExternalTables: true },
        { name: 'Stripe', tables: ['Customer'], allowCustomExternalTables: false },
      ],
    };
    expect(mappingConfigurationFrom(configuration)).toEqual({
      m3terEntities: ['Account', 'Product'],
      externalSystems: [
        { name: 'Salesforce', tables: ['Account', 'Product2'], allowCustomExternalTables: true },
        { name: 'Stripe', tables: ['Customer'], allowCustomExternalTables: false },
      ],
    });
  });

  it('reads absent tables as none and an absent custom-table flag as false', () => {
    const result = mappingConfigurationFrom({ m3terEntities: [], externalSystems: [{ name: 'NetSuite' }] });
    expect(result.externalSystems).toEqual([{ name: 'NetSuite', tables: [], allowCustomExternalTables: false }]);
  });

  it('reads null tables and a null flag the same way', () => {
    const input = { m3terEntities: ['Account'], externalSystems: [{ name: 'HubSpot', tables: null, allowCustomExternalTables: null }] };
    expect(mappingConfigurationFrom(input as unknown as M3terMappingConfiguration).externalSystems).toEqual([
      { name: 'HubSpot', tables: [], allowCustomExternalTables: false },
    ]);
  });

  it('takes only a boolean true as allowing custom tables', () => {
    const input = { m3terEntities: [], externalSystems: [{ name: 'A', allowCustomExternalTables: 'true' }, { name: 'B', allowCustomExternalTables: 1 }] };
    const flags = mappingConfigurationFrom(input as unknown as M3terMappingConfiguration).externalSystems.map((s) => s.allowCustomExternalTables);
    expect(flags).toEqual([false, false]);
  });

  it('drops systems without a name and entries that are not strings', () => {
    const input = {
      m3terEntities: ['Account', null, 7, '', 'Plan'],
      externalSystems: [{ tables: ['x'] }, { name: '' }, null, { name: 'Zuora', tables: ['Account', null, ''] }],
    };
    expect(mappingConfigurationFrom(input as unknown as M3terMappingConfiguration)).toEqual({
      m3terEntities: ['Account', 'Plan'],
      externalSystems: [{ name: 'Zuora', tables: ['Account'], allowCustomExternalTables: false }],
    });
  });

  it('reads missing lists as empty', () => {
    expect(mappingConfigurationFrom({} as M3terMappingConfiguration)).toEqual({ m3terEntities: [], externalSystems: [] });
  });

  it('keeps names and tables in m3ter casing and order', () => {
    const result = mappingConfigurationFrom({ m3terEntities: ['planTemplate', 'Account'], externalSystems: [{ name: 'salesForce', tables: ['product2', 'Account'] }] });
    expect(result.m3terEntities).toEqual(['planTemplate', 'Account']);
    expect(result.externalSystems[0]).toEqual({ name: 'salesForce', tables: ['product2', 'Account'], allowCustomExternalTables: false });
  });

  it('copies lists instead of sharing them with the vendor record', () => {
    const input: M3terMappingConfiguration = { m3terEntities: ['Account'], externalSystems: [{ name: 'Stripe', tables: ['Customer'] }] };
    const result = mappingConfigurationFrom(input);
    result.m3terEntities.push('X');
    result.externalSystems[0]?.tables.push('Y');
    expect(input).toEqual({ m3terEntities: ['Account'], externalSystems: [{ name: 'Stripe', tables: ['Customer'] }] });
  });
});
