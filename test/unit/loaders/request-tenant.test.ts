import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/callers/caller.js';
import { ForbiddenError } from '../../../src/errors.js';
import { resolveRequestTenant } from '../../../src/request-tenant.js';
import { VENDOR_REGISTRY, type Upstreams } from '../../../src/upstreams/index.js';

const ENTITY_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const ENTITY_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** Each vendor's tenants as configured: the tenant rules only ask which are served, in what form. */
const CONFIGURED: Record<string, string[]> = { zuora: [ENTITY_A, ENTITY_B], m3ter: ['Org-1', 'org-2'], revio: ['acme', 'globex'] };

const upstreams = {
  vendors: VENDOR_REGISTRY.map((module) => {
    const ids = CONFIGURED[module.name]!;
    const served = (id: string) => ids.find((configured) => module.sameTenant(configured, id));
    return { module, connected: { tenantIds: ids, served, providerFor: (id: string) => (served(id) === undefined ? undefined : {}) } };
  }),
  close: () => undefined,
} as unknown as Upstreams;

describe('resolveRequestTenant', () => {
  it('defaults each vendor to its first configured tenant', () => {
    expect(resolveRequestTenant({}, upstreams)).toEqual({ zuora: ENTITY_A, m3ter: 'Org-1', revio: 'acme' });
  });

  it('takes each tenant from its header, in any accepted form, from a record or a Map', () => {
    const hyphenated = 'BBBBBBBB-BBBB-BBBB-BBBB-BBBBBBBBBBBB';
    const headers = { 'interlink-zuora-entity': hyphenated, 'interlink-m3ter-org': 'ORG-2', 'interlink-revio-client': ['GLOBEX'] };
    const expected = { zuora: ENTITY_B, m3ter: 'org-2', revio: 'globex' };
    expect(resolveRequestTenant(headers, upstreams)).toEqual(expected);
    expect(resolveRequestTenant(new Map([['interlink-zuora-entity', ENTITY_B], ['interlink-m3ter-org', 'org-2'], ['interlink-revio-client', 'globex']]), upstreams)).toEqual(expected);
  });

  it('refuses an unknown tenant, and one the caller is not allowed, with FORBIDDEN naming the header', () => {
    expect(() => resolveRequestTenant({ 'interlink-zuora-entity': 'c'.repeat(32) }, upstreams)).toThrow(ForbiddenError);
    expect(() => resolveRequestTenant({ 'interlink-m3ter-org': 'org-9' }, upstreams)).toThrow(/interlink-m3ter-org names a m3ter org which this gateway is not configured to act for/);
    expect(() => resolveRequestTenant({ 'interlink-revio-client': 'initech' }, upstreams)).toThrow(ForbiddenError);
  });
});

describe('resolveRequestTenant with an API key', () => {
  const caller = (tenants: Partial<Caller['tenants']>): Caller => ({ keyId: 'billing-sync', scopes: ['read'], tenants: { zuora: [], m3ter: [], revio: [], ...tenants } });
  const HYPHENATED_B = 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb';

  it("defaults to the key's first tenant at each vendor, in the configured form", () => {
    expect(resolveRequestTenant({}, upstreams, caller({ zuora: [HYPHENATED_B, ENTITY_A], m3ter: ['ORG-2'], revio: ['GLOBEX'] }))).toEqual({
      zuora: ENTITY_B,
      m3ter: 'org-2',
      revio: 'globex',
    });
  });

  it('takes a header inside the grant, comparing Zuora ids ignoring hyphens and case, others ignoring case', () => {
    const key = caller({ zuora: [ENTITY_A, HYPHENATED_B], m3ter: ['org-1'], revio: ['acme'] });
    expect(resolveRequestTenant({ 'interlink-zuora-entity': ENTITY_B.toUpperCase(), 'interlink-m3ter-org': 'ORG-1', 'interlink-revio-client': 'ACME' }, upstreams, key)).toEqual({
      zuora: ENTITY_B,
      m3ter: 'Org-1',
      revio: 'acme',
    });
  });

  it("refuses a header outside the grant with FORBIDDEN naming header and key, never the header's value", () => {
    const key = caller({ zuora: [ENTITY_A], revio: ['acme'] });
    expect(() => resolveRequestTenant({ 'interlink-revio-client': 'globex' }, upstreams, key)).toThrow(ForbiddenError);
    expect(() => resolveRequestTenant({ 'interlink-zuora-entity': ENTITY_B }, upstreams, key)).toThrow(
      `interlink-zuora-entity names a Zuora entity, which API key "billing-sync" may not act for: expected one of the 1 it grants (the header's value is not repeated here)`,
    );
    expect(() => resolveRequestTenant({ 'interlink-m3ter-org': 'org-1' }, upstreams, key)).toThrow('API key "billing-sync" grants no m3ter org');
    for (const [header, value] of [['interlink-revio-client', 'globex'], ['interlink-zuora-entity', ENTITY_B], ['interlink-m3ter-org', 'org-1']] as const) {
      expect(() => resolveRequestTenant({ [header]: value }, upstreams, key)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(value) }));
    }
  });

  it('acts for nobody at a vendor the key grants nothing at, instead of refusing the request', () => {
    expect(resolveRequestTenant({}, upstreams, caller({ revio: ['acme'] }))).toEqual({ revio: 'acme' });
  });

  it('refuses a granted tenant the gateway does not serve', () => {
    expect(() => resolveRequestTenant({}, upstreams, caller({ revio: ['initech'] }))).toThrow(/not configured to act for/);
  });
});
