import { describe, expect, it } from 'vitest';
import { allowedTenants } from '../../../src/callers/allowed-tenants.js';
import type { Caller } from '../../../src/callers/caller.js';
import { ForbiddenError } from '../../../src/errors.js';

const ENTITY_A = '8a808255-55a3-c7a1-0155-b460f53858e6';
const ENTITY_B = '8a808255-55a3-c7a1-0155-b460f53858e7';
const ORG = '7c4a0e5e-4c6b-4f5c-9a1e-2d3b4c5d6e7f';

const caller = (tenants: Partial<Caller['tenants']>): Caller => ({
  keyId: 'billing-sync',
  scopes: ['read'],
  tenants: { zuora: [], m3ter: [], revio: [], ...tenants },
});

describe('allowedTenants', () => {
  it("defaults to the key's single tenant at each vendor and says so in headers", () => {
    const tenants = allowedTenants(caller({ zuora: [ENTITY_A], m3ter: [ORG], revio: ['ACME'] }), {});
    expect(tenants).toEqual({
      zuoraEntityId: '8a80825555a3c7a10155b460f53858e6',
      m3terOrgId: ORG,
      revioClientCode: 'ACME',
      allowed: { zuoraEntityIds: [ENTITY_A], m3terOrgIds: [ORG], revioClientCodes: ['ACME'] },
      headers: { 'interlink-zuora-entity': ENTITY_A, 'interlink-m3ter-org': ORG, 'interlink-revio-client': 'ACME' },
    });
  });

  it('compares Zuora entity ids ignoring hyphens and case', () => {
    const key = caller({ zuora: [ENTITY_A, ENTITY_B] });
    expect(allowedTenants(key, { 'interlink-zuora-entity': '8A80825555A3C7A10155B460F53858E7' }).zuoraEntityId).toBe('8a80825555a3c7a10155b460f53858e7');
    expect(allowedTenants(key, new Map([['interlink-zuora-entity', ENTITY_B.toUpperCase()]])).headers['interlink-zuora-entity']).toBe(ENTITY_B);
  });

  it('compares m3ter orgs and Rev.io client codes ignoring case, returning the granted form', () => {
    const tenants = allowedTenants(caller({ m3ter: [ORG], revio: ['ACME'] }), { 'interlink-m3ter-org': ORG.toUpperCase(), 'interlink-revio-client': 'acme' });
    expect(tenants.m3terOrgId).toBe(ORG);
    expect(tenants.revioClientCode).toBe('ACME');
  });

  it('defaults to the first listed tenant when the key grants several', () => {
    expect(allowedTenants(caller({ zuora: [ENTITY_B, ENTITY_A] }), {}).zuoraEntityId).toBe('8a80825555a3c7a10155b460f53858e7');
  });

  it('refuses a tenant outside the grant with FORBIDDEN, naming header, value and key', () => {
    const key = caller({ zuora: [ENTITY_A], revio: ['ACME'] });
    expect(() => allowedTenants(key, { 'interlink-revio-client': 'OTHER' })).toThrow(ForbiddenError);
    expect(() => allowedTenants(key, { 'interlink-zuora-entity': ENTITY_B })).toThrow(
      `interlink-zuora-entity names Zuora entity "${ENTITY_B}", which API key "billing-sync" may not act for`,
    );
    expect(() => allowedTenants(key, { 'interlink-m3ter-org': ORG })).toThrow(/m3ter org/);
  });

  it('selects nothing at a vendor the key has no grant for', () => {
    const tenants = allowedTenants(caller({ revio: ['ACME'] }), {});
    expect(tenants.zuoraEntityId).toBeUndefined();
    expect(tenants.allowed.zuoraEntityIds).toEqual([]);
    expect(tenants.headers).toEqual({ 'interlink-revio-client': 'ACME' });
  });
});
