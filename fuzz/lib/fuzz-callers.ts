/**
 * The kinds of caller the fuzzer sends as: each with the scopes and grant the invariants judge
 * its answers by. API keys are real keys (hashed through `loadConfig`); JWT callers carry tokens
 * signed by a JWKS server on 127.0.0.1, mapped to the same caller model.
 */
import type { Sandbox } from '../../sandbox/index.js';
import type { Scope } from '../../src/callers/api-key-record.js';

export type CallerName = 'admin' | 'reader' | 'narrow' | 'emptyGrant' | 'trusted' | 'jwtWriter' | 'jwtReader' | 'anonymous';

export const CALLER_NAMES: readonly CallerName[] = ['admin', 'reader', 'narrow', 'emptyGrant', 'trusted', 'jwtWriter', 'jwtReader', 'anonymous'];

/** A type, not an interface: it must fit the key record's indexed `TenantGrant`. */
export type Grant = {
  zuora: string[];
  m3ter: string[];
  revio: string[];
};

export interface FuzzCaller {
  name: CallerName;
  /** The bearer credential (an API key or a JWT); none for `anonymous`. */
  token: string | undefined;
  scopes: Scope[];
  grant: Grant;
  trustedDocumentsOnly: boolean;
}

export const FUZZ_KEYS = {
  admin: 'ilk_fuzz_admin_read_write_every_tenant_0001',
  reader: 'ilk_fuzz_reader_read_only_every_tenant_0002',
  narrow: 'ilk_fuzz_narrow_read_write_one_company_0003',
  emptyGrant: 'ilk_fuzz_empty_grant_read_write_nothing_0004',
  trusted: 'ilk_fuzz_trusted_documents_only_reader_0005',
  probe: 'ilk_fuzz_probe_another_key_read_only_0006',
} as const;

export function everyTenant(sandbox: Sandbox): Grant {
  return {
    zuora: sandbox.tenants.zuora.flatMap((tenant) => tenant.entityIds),
    m3ter: sandbox.tenants.m3ter.map((tenant) => tenant.orgId),
    revio: sandbox.tenants.revio.map((tenant) => tenant.clientCode),
  };
}

/** The first seeded company's root entity, org and client: the narrow grant. */
export function firstCompany(sandbox: Sandbox): Grant {
  const company = sandbox.fixtures.facts.companies[0]!;
  return { zuora: [company.zuora.rootEntityId], m3ter: [company.m3ter.orgId], revio: [company.revio.clientCode] };
}

/**
 * The emptiest grant `loadConfig` accepts (a key granting nothing at all is refused at start):
 * no Zuora entity, no m3ter org, and one Rev.io client of the second company.
 */
export function nearlyEmpty(sandbox: Sandbox): Grant {
  const company = sandbox.fixtures.facts.companies[1]!;
  return { zuora: [], m3ter: [], revio: [company.revio.clientCode] };
}
