/** `Query.linkAudit`: every link of the request's m3ter org and Rev.io client, checked by src/audit/link-findings.ts. */
import { readTenantLinks } from '../audit/read-tenant-links.js';
import { linkFindings } from '../audit/link-findings.js';
import type { QueryResolvers } from '../__generated__/graphql.js';

export const linkAuditQueries: Pick<QueryResolvers, 'linkAudit'> = {
  async linkAudit(_root, _args, { providers, loaders, requestId }) {
    // Both providers and the Zuora directory: an audit of half the tenant would report the other half's links as one-sided.
    const m3ter = providers.m3ter;
    const revio = providers.revio;
    const call = { requestId };
    const [m3terLinks, revioLinks, entities] = await Promise.all([readTenantLinks(m3ter, call), readTenantLinks(revio, call), loaders.allEntities.get()]);
    const links = [...m3terLinks, ...revioLinks];
    return {
      m3terOrg: m3ter.tenant,
      revioClient: revio.tenant,
      linksRead: links.length,
      findings: linkFindings(links, { entityIds: new Set(entities.map((entity) => entity.id.toLowerCase())), bothProviders: new Set(revio.bothProviders) }),
    };
  },
};
