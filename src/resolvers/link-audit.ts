/**
 * `Query.linkAudit`: every link of the request's m3ter org and Rev.io client, checked by
 * src/audit/link-findings.ts under the request's budget (its rules yield the event loop and stop
 * at the deadline). One audit per request: its tenant is the request's and it takes no argument,
 * so a second alias answers from the first one's promise, as a DataLoader would, instead of
 * reading every page again.
 */
import { readTenantLinks } from '../audit/read-tenant-links.js';
import { linkFindings } from '../audit/link-findings.js';
import type { GraphQLContext } from '../context.js';
import { requestBudget } from '../limits/request-budget.js';
import type { QueryResolvers, ResolversTypes } from '../__generated__/graphql.js';

type Audit = ResolversTypes['LinkAudit'];

/** The request's audit, by its context (dropped with it). */
const audits = new WeakMap<object, Promise<Audit>>();

export const linkAuditQueries: Pick<QueryResolvers, 'linkAudit'> = {
  linkAudit(_root, _args, context) {
    let audit = audits.get(context);
    if (audit === undefined) {
      audit = audited(context);
      audits.set(context, audit);
    }
    return audit;
  },
};

async function audited(context: GraphQLContext): Promise<Audit> {
  const { providers, loaders, requestId, limits } = context;
  // Both providers and the Zuora directory: an audit of half the tenant would report the other half's links as one-sided.
  const m3ter = providers.m3ter;
  const revio = providers.revio;
  const call = { requestId };
  const [m3terLinks, revioLinks, entities] = await Promise.all([readTenantLinks(m3ter, call), readTenantLinks(revio, call), loaders.allEntities.get()]);
  const links = [...m3terLinks, ...revioLinks];
  const facts = { entityIds: new Set(entities.map((entity) => entity.id.toLowerCase())), bothProviders: new Set(revio.bothProviders) };
  return {
    m3terOrg: m3ter.tenant,
    revioClient: revio.tenant,
    linksRead: links.length,
    findings: await linkFindings(links, facts, requestBudget(context, limits).pace),
  };
}
