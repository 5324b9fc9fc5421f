/** External links (m3ter mappings and Rev.io key links): root lookups and relations. */
import type { RequestGrant } from '../authorization/request-grant.js';
import { BadUserInputError } from '../errors.js';
import type { ExternalRecordKey, Loaders } from '../loaders/index.js';
import type { ExternalLink as ExternalLinkModel } from '../models.js';
import type { ExternalLinkResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { externalLinkPage } from './external-link-page.js';
import { linkGlobalId, linkIdArg } from './ids.js';

const HEX32 = /^[0-9a-f]{32}$/;

export const externalLinkQueries: Pick<QueryResolvers, 'externalLinks' | 'externalLink' | 'resolveExternalId'> = {
  // Paged upstream, m3ter then Rev.io, with cursors that carry both positions (external-link-page.ts).
  externalLinks: (_root, { filter, first, after }, { loaders, grant, requestId }) => externalLinkPage(loaders, grant, { filter: filter ?? {}, first, after }, requestId),
  externalLink: (_root, { id }, { loaders }) => loaders.linkById.load(linkIdArg(id)),
  async resolveExternalId(_root, { system, id }, { loaders, grant }) {
    if (system.trim() === '' || id === '') throw new BadUserInputError('resolveExternalId needs a system name and an id, both non-empty');
    return linksTo(loaders, grant, { system, id });
  },
};

export const ExternalLink: ExternalLinkResolvers = {
  id: (link) => linkGlobalId(link),
  async sameExternal(link, _args, { loaders, grant }) {
    return (await linksTo(loaders, grant, { system: link.external.system, id: link.external.id })).filter((other) => !isSame(other, link));
  },
  entity(link, _args, { loaders }) {
    const id = link.external.id.toLowerCase();
    if (link.external.system.toLowerCase() !== 'zuora' || !HEX32.test(id)) return null;
    return loaders.entityById.load(id);
  },
};

/** Links to one external record, from each provider the key holds a grant at. */
async function linksTo(loaders: Loaders, grant: RequestGrant, key: ExternalRecordKey): Promise<ExternalLinkModel[]> {
  const providers = grant.linkProviders();
  const [m3ter, revio] = await Promise.all([
    providers.includes('M3TER') ? loaders.m3terLinksTo.load(key) : [],
    providers.includes('REVIO') ? loaders.revioLinksTo.load(key) : [],
  ]);
  return [...m3ter, ...revio];
}

function isSame(a: ExternalLinkModel, b: ExternalLinkModel): boolean {
  return a.provider === b.provider && a.tenant === b.tenant && a.nativeId === b.nativeId;
}
