import { describe, expect, it } from 'vitest';
import { BadUserInputError, ConfigError, UpstreamContractError } from '../../../src/errors.js';
import { deepFreeze } from '../../../src/lib/deep-freeze.js';
import { matchesKeyLinkSearch, type KeyLinkRecord } from '../../../src/upstreams/revio/key-link-search.js';
import {
  toExternalLink,
  toIntegrationEntityType,
  toIntegrationSystem,
  toKeyLinkWrite,
  type KeyLinkNames,
} from '../../../src/upstreams/revio/mapper.js';
import { buildRevioCatalog } from '../../../src/upstreams/revio/revio-catalog.js';

const names: KeyLinkNames = {
  systems: new Map([[4, 'SALESFORCE'], [10, 'ZUORA'], [11, 'M3TER']]),
  entityTypes: new Map([[2, 'CUSTOMER'], [10, 'PRODUCT']]),
};

const record: KeyLinkRecord = {
  integration_key_link_id: 17,
  integration_system_id: 4,
  integration_entity_type_id: 2,
  internal_id: 2003,
  external_id: '0012D0000aBcDeFgHi',
  created_date: '2024-05-01T16:24:21.293',
  created_by: 42,
};

/** A record as a looser tenant might send it; the mapper's input type is only a promise. */
function odd(fields: Record<string, unknown>): KeyLinkRecord {
  return { ...record, ...fields } as unknown as KeyLinkRecord;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('Rev.io mapper: key link → ExternalLink', () => {
  it('maps every field of a key link', () => {
    expect(toExternalLink(record, 'acmetel', names)).toEqual({
      provider: 'REVIO',
      nativeId: '17',
      tenant: 'acmetel',
      internal: { system: 'Rev.io', type: 'CUSTOMER', id: '2003' },
      external: { system: 'SALESFORCE', type: null, id: '0012D0000aBcDeFgHi' },
      createdAt: '2024-05-01T16:24:21.293',
      updatedAt: null,
      createdBy: '42',
      updatedBy: null,
      systemId: 4,
      entityTypeId: 2,
    });
  });

  it('passes created_date through as written, with no offset added or precision changed', () => {
    for (const date of ['2024-05-01T16:24:21.293', '2024-05-01T16:24:21', '2024-05-01T16:24:21.2930000', '2024-05-01T16:24:21.293Z']) {
      expect(toExternalLink(odd({ created_date: date }), 'acmetel', names).createdAt).toBe(date);
    }
  });

  it('gives null createdAt when created_date is missing, empty or not a string', () => {
    const { created_date: _omitted, ...withoutDate } = record;
    expect(toExternalLink(withoutDate as KeyLinkRecord, 'acmetel', names).createdAt).toBeNull();
    expect(toExternalLink(odd({ created_date: '' }), 'acmetel', names).createdAt).toBeNull();
    expect(toExternalLink(odd({ created_date: null }), 'acmetel', names).createdAt).toBeNull();
  });

  it('writes created_by as a decimal string, and null when null or missing', () => {
    expect(toExternalLink(odd({ created_by: 0 }), 'acmetel', names).createdBy).toBe('0');
    expect(toExternalLink(odd({ created_by: 17 }), 'acmetel', names).createdBy).toBe('17');
    expect(toExternalLink(odd({ created_by: null }), 'acmetel', names).createdBy).toBeNull();
    const { created_by: _omitted, ...withoutCreator } = record;
    expect(toExternalLink(withoutCreator as KeyLinkRecord, 'acmetel', names).createdBy).toBeNull();
  });

  it('keeps external ids exactly, so ids differing only by case stay distinct', () => {
    const lower = toExternalLink(odd({ external_id: '0012D0000abcdefghi' }), 'acmetel', names);
    const upper = toExternalLink(odd({ external_id: '0012D0000ABCDEFGHI' }), 'acmetel', names);
    expect(lower.external.id).toBe('0012D0000abcdefghi');
    expect(upper.external.id).toBe('0012D0000ABCDEFGHI');
    for (const id of [' padded ', 'ünïcödé-ß', 'a,b', '00042']) {
      expect(toExternalLink(odd({ external_id: id }), 'acmetel', names).external.id).toBe(id);
    }
  });

  it('keeps system and entity-type names as the tenant spells them', () => {
    const mixed: KeyLinkNames = { systems: new Map([[4, 'Salesforce']]), entityTypes: new Map([[2, 'Customer']]) };
    const link = toExternalLink(record, 'acmetel', mixed);
    expect(link.external.system).toBe('Salesforce');
    expect(link.internal.type).toBe('Customer');
  });

  it('names ids the catalog does not know SYSTEM#<id> and TYPE#<id>, keeping the ids', () => {
    const link = toExternalLink(odd({ integration_system_id: 99, integration_entity_type_id: 77 }), 'acmetel', names);
    expect(link.external.system).toBe('SYSTEM#99');
    expect(link.internal.type).toBe('TYPE#77');
    expect(link).toMatchObject({ systemId: 99, entityTypeId: 77 });
  });

  it('reads ids sent as numeric strings', () => {
    const link = toExternalLink(odd({ integration_key_link_id: '17', integration_system_id: '10', integration_entity_type_id: ' 2 ', internal_id: '1001' }), 'acmetel', names);
    expect(link).toMatchObject({ nativeId: '17', systemId: 10, entityTypeId: 2, internal: { id: '1001', type: 'CUSTOMER' }, external: { system: 'ZUORA' } });
  });

  it('keeps the decimal form of a numeric external id', () => {
    expect(toExternalLink(odd({ external_id: 12345 }), 'acmetel', names).external.id).toBe('12345');
  });

  it('ignores extra fields, the single-resource envelope and self links', () => {
    const link = toExternalLink(odd({ ok: true, links: [{ rel: 'self', href: 'http://x/v1/integrationkeylink/17' }], updated_date: '2025-01-01T00:00:00' }), 'acmetel', names);
    expect(link).toEqual(toExternalLink(record, 'acmetel', names));
  });

  it('does not modify the record or the name maps', () => {
    const frozen = deepFreeze({ ...record });
    expect(() => toExternalLink(frozen, 'acmetel', names)).not.toThrow();
    expect(names.systems.size).toBe(3);
  });

  it.each([
    ['integration_key_link_id', { integration_key_link_id: undefined }],
    ['integration_key_link_id', { integration_key_link_id: 1.5 }],
    ['integration_system_id', { integration_system_id: null }],
    ['integration_entity_type_id', { integration_entity_type_id: 'CUSTOMER' }],
    ['internal_id', { internal_id: {} }],
    ['external_id', { external_id: null }],
    ['external_id', { external_id: undefined }],
  ])('fails as a contract error when %s is malformed, without echoing the value', (field, fields) => {
    const error = thrown(() => toExternalLink(odd(fields), 'acmetel', names));
    expect(error).toBeInstanceOf(UpstreamContractError);
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', vendor: 'revio', vendorCode: 'MALFORMED_RECORD', retryable: false });
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).not.toContain('CUSTOMER');
  });
});

describe('Rev.io mapper: catalog records', () => {
  it('maps systems and entity types to id and name', () => {
    expect(toIntegrationSystem({ integration_system_id: 4, system_name: 'SALESFORCE' })).toEqual({ id: 4, name: 'SALESFORCE' });
    expect(toIntegrationEntityType({ integration_entity_type_id: 12, entity_type_name: 'INVENTORY_ITEM' })).toEqual({ id: 12, name: 'INVENTORY_ITEM' });
  });

  it('keeps name casing and reads string ids', () => {
    expect(toIntegrationSystem({ integration_system_id: '10', system_name: 'Zuora' } as never)).toEqual({ id: 10, name: 'Zuora' });
  });

  it('fails as a contract error on a missing or empty name', () => {
    expect(() => toIntegrationSystem({ integration_system_id: 4 } as never)).toThrow(UpstreamContractError);
    expect(() => toIntegrationEntityType({ integration_entity_type_id: 2, entity_type_name: '' })).toThrow(UpstreamContractError);
  });
});

describe('Rev.io mapper: write bodies', () => {
  const input = { systemId: 10, entityTypeId: 2, internalId: '1003', externalId: 'a91748ca3a7c20f315c15c9dd39c1002' };

  it('builds the POST/PUT body with an integer internal id and the external id unchanged', () => {
    expect(toKeyLinkWrite(input)).toEqual({ integration_system_id: 10, integration_entity_type_id: 2, internal_id: 1003, external_id: 'a91748ca3a7c20f315c15c9dd39c1002' });
    expect(toKeyLinkWrite({ ...input, externalId: 'MiXeD' }).external_id).toBe('MiXeD');
  });

  it.each(['abc', '', '1.5', '2147483648', '12 ', '1e3'])('rejects internal id %j as bad user input', (internalId) => {
    expect(() => toKeyLinkWrite({ ...input, internalId })).toThrow(BadUserInputError);
  });

  it('accepts external ids of 1 to 255 characters and rejects others', () => {
    expect(toKeyLinkWrite({ ...input, externalId: 'x' }).external_id).toBe('x');
    expect(toKeyLinkWrite({ ...input, externalId: 'x'.repeat(255) }).external_id).toHaveLength(255);
    expect(() => toKeyLinkWrite({ ...input, externalId: '' })).toThrow(BadUserInputError);
    expect(() => toKeyLinkWrite({ ...input, externalId: 'x'.repeat(256) })).toThrow(BadUserInputError);
  });
});

describe('Rev.io client-side search re-check', () => {
  it('compares external ids case-sensitively and ids by value', () => {
    expect(matchesKeyLinkSearch(record, { external_id: '0012D0000aBcDeFgHi' })).toBe(true);
    expect(matchesKeyLinkSearch(record, { external_id: '0012D0000abcdefghi' })).toBe(false);
    expect(matchesKeyLinkSearch(record, { integration_system_id: 4, internal_id: 2003 })).toBe(true);
    expect(matchesKeyLinkSearch(record, { integration_system_id: 4, internal_id: 2004 })).toBe(false);
    expect(matchesKeyLinkSearch(record, {})).toBe(true);
  });
});

describe('Rev.io catalog', () => {
  const systems = [{ id: 4, name: 'SALESFORCE' }, { id: 10, name: 'ZUORA' }, { id: 11, name: 'M3TER' }];
  const types = [{ id: 2, name: 'CUSTOMER' }, { id: 10, name: 'PRODUCT' }];

  it('resolves names to ids case-insensitively and ids to names', () => {
    const catalog = buildRevioCatalog('acmetel', systems, types, { zuora: 'zuora', m3ter: 'M3TER' });
    expect(catalog.linkedSystems).toEqual({ zuora: 10, m3ter: 11 });
    expect(catalog.systemId('Salesforce')).toBe(4);
    expect(catalog.entityTypeId('customer')).toBe(2);
    expect(catalog.systemId('STRIPE')).toBeUndefined();
    expect(catalog.names.systems.get(11)).toBe('M3TER');
    expect(catalog.names.entityTypes.get(10)).toBe('PRODUCT');
  });

  it('fails with a config error naming each configured system the tenant lacks', () => {
    const error = thrown(() => buildRevioCatalog('acmetel', systems, types, { zuora: 'ZUORA_BILLING', m3ter: 'METER' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toHaveLength(2);
    expect((error as ConfigError).issues[0]).toContain('revioSystems.zuora is "ZUORA_BILLING"');
    expect((error as ConfigError).issues[0]).toContain('SALESFORCE, ZUORA, M3TER');
  });
});
