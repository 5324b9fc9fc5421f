import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/errors.js';
import { resolveRequestTenant } from '../../../src/request-tenant.js';
import type { Upstreams } from '../../../src/upstreams/index.js';

const ENTITY_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const ENTITY_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** Upstreams whose clients are plain tokens: the tenant rules only look clients up. */
const upstreams = {
  zuora: { entityIds: [ENTITY_A, ENTITY_B], clientFor: (id: string) => ([ENTITY_A, ENTITY_B].includes(id.replaceAll('-', '').toLowerCase()) ? {} : undefined) },
  m3ter: { orgIds: ['Org-1', 'org-2'], clientFor: (id: string) => (['org-1', 'org-2'].includes(id.toLowerCase()) ? { orgId: id.toLowerCase() === 'org-1' ? 'Org-1' : 'org-2' } : undefined) },
  revio: { clientCodes: ['acme', 'globex'], clientFor: (code: string) => (['acme', 'globex'].includes(code.toLowerCase()) ? { clientCode: code.toLowerCase() } : undefined) },
  close: () => undefined,
} as unknown as Upstreams;

describe('resolveRequestTenant', () => {
  it('defaults each vendor to its first configured tenant', () => {
    expect(resolveRequestTenant({}, upstreams)).toEqual({ zuoraEntityId: ENTITY_A, m3terOrgId: 'Org-1', revioClientCode: 'acme' });
  });

  it('takes each tenant from its header, in any accepted form, from a record or a Map', () => {
    const hyphenated = 'BBBBBBBB-BBBB-BBBB-BBBB-BBBBBBBBBBBB';
    const headers = { 'interlink-zuora-entity': hyphenated, 'interlink-m3ter-org': 'ORG-2', 'interlink-revio-client': ['GLOBEX'] };
    const expected = { zuoraEntityId: ENTITY_B, m3terOrgId: 'org-2', revioClientCode: 'globex' };
    expect(resolveRequestTenant(headers, upstreams)).toEqual(expected);
    expect(resolveRequestTenant(new Map([['interlink-zuora-entity', ENTITY_B], ['interlink-m3ter-org', 'org-2'], ['interlink-revio-client', 'globex']]), upstreams)).toEqual(expected);
  });

  it('refuses an unknown tenant, and one the caller is not allowed, with FORBIDDEN naming the header', () => {
    expect(() => resolveRequestTenant({ 'interlink-zuora-entity': 'c'.repeat(32) }, upstreams)).toThrow(ForbiddenError);
    expect(() => resolveRequestTenant({ 'interlink-m3ter-org': 'org-9' }, upstreams)).toThrow(/interlink-m3ter-org names m3ter org "org-9"/);
    expect(() => resolveRequestTenant({ 'interlink-revio-client': 'initech' }, upstreams)).toThrow(ForbiddenError);
    expect(() => resolveRequestTenant({}, upstreams, { revioClientCodes: ['globex'] })).toThrow(ForbiddenError);
    expect(resolveRequestTenant({ 'interlink-revio-client': 'globex' }, upstreams, { revioClientCodes: ['GLOBEX'] }).revioClientCode).toBe('globex');
  });
});
