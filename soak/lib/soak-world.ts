/**
 * What the soak's clients know about each company they act for, read from the seed: the API key
 * granted only that company, its entities, org, client and customers, and the ids of every other
 * company (an answer that holds one of those leaked across tenants).
 */
import type { Sandbox } from '../../sandbox/index.js';

export interface TenantWorld {
  index: number;
  keyId: string;
  apiKey: string;
  rootEntityId: string;
  /** 32 lower-case hex, root first. */
  entityIds: string[];
  m3terOrgId: string;
  revioClientCode: string;
  customers: { salesforceAccountId: string; m3terAccountId: string; revioCustomerId: number }[];
  /** Lower-case markers of the other companies: entity ids, org ids, client codes. */
  foreign: string[];
}

export function tenantWorlds(sandbox: Sandbox, count: number, keyOf: (index: number) => string): TenantWorld[] {
  const companies = sandbox.fixtures.facts.companies.slice(0, count);
  const worlds = companies.map((company, index): Omit<TenantWorld, 'foreign'> => ({
    index,
    keyId: `soak-${company.slug}`,
    apiKey: keyOf(index),
    rootEntityId: company.zuora.rootEntityId,
    entityIds: sandbox.fixtures.zuora.tenants[index]!.entities.map((e) => e.id.toLowerCase()),
    m3terOrgId: company.m3ter.orgId,
    revioClientCode: company.revio.clientCode,
    customers: company.customers.map((c) => ({ salesforceAccountId: c.salesforceAccountId, m3terAccountId: c.m3terAccountId, revioCustomerId: c.revioCustomerId })),
  }));
  // Every seeded company counts as foreign to the others, including those the soak does not drive.
  const all = sandbox.fixtures.facts.companies.map((company, index) => ({
    index,
    markers: [
      ...sandbox.fixtures.zuora.tenants[index]!.entities.map((e) => e.id.toLowerCase()),
      company.m3ter.orgId.toLowerCase(),
      `"${company.revio.clientCode.toLowerCase()}"`,
    ],
  }));
  return worlds.map((world) => ({ ...world, foreign: all.filter((c) => c.index !== world.index).flatMap((c) => c.markers) }));
}
