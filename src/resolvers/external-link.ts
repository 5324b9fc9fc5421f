/** External links (m3ter mappings and Rev.io key links): root lookups and relations. */
import { BadUserInputError } from '../errors.js';
import type { ExternalLink as ExternalLinkModel } from '../models.js';
import type { ExternalLinkResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { externalLinkPage } from './external-link-page.js';
import { linkGlobalId, linkIdArg } from './ids.js';

const HEX32 = /^[0-9a-f]{32}$/;

export const externalLinkQueries: Pick<QueryResolvers, 'externalLinks' | 'externalLink' | 'resolveExternalId'> = {
  // Paged upstream, m3ter then Rev.io, with cursors that carry both positions (external-link-page.ts).
  externalLinks: (_root, { filter, first, after }, { loaders, requestId }) => externalLinkPage(loaders, { filter: filter ?? {}, first, after }, requestId),
  externalLink: (_root, { id }, { loaders }) => loaders.linkById.load(linkIdArg(id)),
  async resolveExternalId(_root, { system, id }, { loaders }) {
    if (system.trim() === '' || id === '') throw new BadUserInputError('resolveExternalId needs a system name and an id, both non-empty');
    const key = { system, id };
    const [m3ter, revio] = await Promise.all([loaders.m3terLinksTo.load(key), loaders.revioLinksTo.load(key)]);
    return [...m3ter, ...revio];
  },
};

export const ExternalLink: ExternalLinkResolvers = {
  id: (link) => linkGlobalId(link),
  async sameExternal(link, _args, { loaders }) {
    const key = { system: link.external.system, id: link.external.id };
    const [m3ter, revio] = await Promise.all([loaders.m3terLinksTo.load(key), loaders.revioLinksTo.load(key)]);
    return [...m3ter, ...revio].filter((other) => !isSame(other, link));
  },
  entity(link, _args, { loaders }) {
    const id = link.external.id.toLowerCase();
    if (link.external.system.toLowerCase() !== 'zuora' || !HEX32.test(id)) return null;
    return loaders.entityById.load(id);
  },
};

function isSame(a: ExternalLinkModel, b: ExternalLinkModel): boolean {
  return a.provider === b.provider && a.tenant === b.tenant && a.nativeId === b.nativeId;
}
