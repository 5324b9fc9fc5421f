import { describe, expect, it } from 'vitest';
import { UpstreamContractError } from '../../../src/errors.js';
import { toConnection, toConnectionStatus, toEntity, toEntityStatus } from '../../../src/upstreams/zuora/mapper.js';
import type { ZuoraConnection, ZuoraEntity } from '../../../src/upstreams/zuora/zuora-types.js';

/** Any shape, as a real tenant might send it: the types say optional strings, the wire may not. */
const entity = (fields: Record<string, unknown>): ZuoraEntity => fields as ZuoraEntity;
const connection = (fields: Record<string, unknown>): ZuoraConnection => fields as ZuoraConnection;

const FULL_ENTITY = {
  id: '8a80825555a3c7a10155b460f53858e6',
  name: 'Acme Europe',
  displayName: 'Acme EU',
  locale: 'en_GB',
  timezone: 'Europe/London',
  status: 'Provisioned',
  parentId: '8a80825555a3c7a10155b460f5380000',
  tenantId: '10019',
};

describe('Zuora mapper: entities', () => {
  it('maps every field of a full record under its domain name', () => {
    expect(toEntity(entity(FULL_ENTITY))).toEqual({
      id: '8a80825555a3c7a10155b460f53858e6',
      name: 'Acme Europe',
      displayName: 'Acme EU',
      status: 'PROVISIONED',
      locale: 'en_GB',
      timezone: 'Europe/London',
      tenantId: '10019',
      parentId: '8a80825555a3c7a10155b460f5380000',
    });
  });

  it('ignores success and fields it does not know', () => {
    expect(toEntity(entity({ ...FULL_ENTITY, success: true, region: 'eu' }))).toEqual(toEntity(entity(FULL_ENTITY)));
  });

  it('keeps the id exactly as sent, upper case included', () => {
    expect(toEntity(entity({ id: '8A80825555A3C7A10155B460F53858E6' })).id).toBe('8A80825555A3C7A10155B460F53858E6');
  });

  it('turns every missing optional field into null', () => {
    expect(toEntity(entity({ id: 'abc' }))).toEqual({
      id: 'abc',
      name: null,
      displayName: null,
      status: null,
      locale: null,
      timezone: null,
      tenantId: null,
      parentId: null,
    });
  });

  it('turns explicit nulls into null', () => {
    const mapped = toEntity(entity({ id: 'abc', name: null, displayName: null, status: null, locale: null, timezone: null, tenantId: null, parentId: null }));
    expect(Object.entries(mapped).filter(([key]) => key !== 'id').every(([, value]) => value === null)).toBe(true);
  });

  it('reads the root entity (parentId null or empty) as having no parent', () => {
    expect(toEntity(entity({ ...FULL_ENTITY, parentId: null })).parentId).toBeNull();
    expect(toEntity(entity({ ...FULL_ENTITY, parentId: '' })).parentId).toBeNull();
  });

  it('writes a numeric tenantId as its decimal string', () => {
    expect(toEntity(entity({ id: 'abc', tenantId: 10019 })).tenantId).toBe('10019');
  });

  it('treats mistyped optional fields as missing', () => {
    const mapped = toEntity(entity({ id: 'abc', name: 42, displayName: {}, locale: ['en_US'], timezone: true, tenantId: Number.NaN, status: 1 }));
    expect(mapped).toMatchObject({ name: null, displayName: null, locale: null, timezone: null, tenantId: null, status: null });
  });

  it('keeps text fields as sent, including the GMT time zone', () => {
    expect(toEntity(entity({ id: 'abc', timezone: 'GMT', locale: 'en_US' }))).toMatchObject({ timezone: 'GMT', locale: 'en_US' });
  });

  it.each([undefined, null, '', 7])('fails as a broken contract when the id is %j', (id) => {
    expect(() => toEntity(entity({ ...FULL_ENTITY, id }))).toThrow(UpstreamContractError);
  });

  it('names only the field in a broken-record error, never the record', () => {
    const error = (() => {
      try {
        toEntity(entity({ ...FULL_ENTITY, id: undefined }));
      } catch (caught) {
        return caught as UpstreamContractError;
      }
      throw new Error('expected a failure');
    })();
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', vendor: 'zuora', vendorCode: 'MALFORMED_RECORD', retryable: false });
    expect(JSON.stringify(error)).not.toContain('Acme');
  });
});

describe('Zuora mapper: entity status', () => {
  it.each([
    ['Provisioned', 'PROVISIONED'],
    ['Unprovisioned', 'UNPROVISIONED'],
  ])('maps %s to %s', (status, expected) => {
    expect(toEntityStatus(status)).toBe(expected);
    expect(toEntity(entity({ id: 'abc', status })).status).toBe(expected);
  });

  it.each(['provisioned', 'PROVISIONED', ' Provisioned ', 'pRoViSiOnEd'])('reads odd casing and padding: %j', (status) => {
    expect(toEntityStatus(status)).toBe('PROVISIONED');
  });

  it.each(['UNPROVISIONED', 'unprovisioned'])('reads %j as UNPROVISIONED', (status) => {
    expect(toEntityStatus(status)).toBe('UNPROVISIONED');
  });

  it.each(['Active', 'Provisioning', 'Un-provisioned', '', 'null', null, undefined, 1, true, {}])('maps the unknown value %j to null', (status) => {
    expect(toEntityStatus(status)).toBeNull();
  });
});

describe('Zuora mapper: connections', () => {
  const FULL = { id: 'c0ffee00c0ffee00c0ffee00c0ffee00', sourceEntityId: 'a'.repeat(32), targetEntityId: 'b'.repeat(32), status: 'Pending' };

  it('maps every field of a full record', () => {
    expect(toConnection(connection(FULL))).toEqual({
      id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
      status: 'PENDING',
      sourceEntityId: 'a'.repeat(32),
      targetEntityId: 'b'.repeat(32),
    });
  });

  it('keeps ids exactly as sent', () => {
    const mapped = toConnection(connection({ ...FULL, id: 'C0FFEE00C0FFEE00C0FFEE00C0FFEE00', sourceEntityId: 'A'.repeat(32) }));
    expect(mapped).toMatchObject({ id: 'C0FFEE00C0FFEE00C0FFEE00C0FFEE00', sourceEntityId: 'A'.repeat(32) });
  });

  it.each([
    ['Connected', 'CONNECTED'],
    ['Pending', 'PENDING'],
    ['Disconnected', 'DISCONNECTED'],
  ])('maps the status %s to %s', (status, expected) => {
    expect(toConnectionStatus(status)).toBe(expected);
    expect(toConnection(connection({ ...FULL, status })).status).toBe(expected);
  });

  it.each([
    ['connected', 'CONNECTED'],
    ['PENDING', 'PENDING'],
    [' disconnected', 'DISCONNECTED'],
    ['DisConnected', 'DISCONNECTED'],
  ])('reads odd casing %j as %s', (status, expected) => {
    expect(toConnectionStatus(status)).toBe(expected);
  });

  it.each(['Denied', 'Accepted', 'Rejected', 'Connecting', '', null, undefined, 3, []])('maps the unknown status %j to null instead of failing', (status) => {
    expect(toConnection(connection({ ...FULL, status })).status).toBeNull();
  });

  it('maps a missing status to null', () => {
    const { status: _omitted, ...rest } = FULL;
    expect(toConnection(connection(rest)).status).toBeNull();
  });

  it.each(['id', 'sourceEntityId', 'targetEntityId'])('fails as a broken contract without %s', (field) => {
    expect(() => toConnection(connection({ ...FULL, [field]: undefined }))).toThrow(UpstreamContractError);
    expect(() => toConnection(connection({ ...FULL, [field]: '' }))).toThrow(UpstreamContractError);
    expect(() => toConnection(connection({ ...FULL, [field]: null }))).toThrow(UpstreamContractError);
  });
});
