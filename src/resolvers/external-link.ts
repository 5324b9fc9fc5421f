/** External links (m3ter mappings and Rev.io key links): root lookups and relations. */
import { BadUserInputError } from '../errors.js';
import { pageOfArray } from '../lib/paging.js';
import type { ExternalLink as ExternalLinkModel } from '../models.js';
import type { ExternalLinkResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { checkPageArgs } from './connection-page.js';
import { listExternalLinks } from './external-link-list.js';
import { linkGlobalId, linkIdArg } from './ids.js';

const HEX32 = /^[0-9a-f]{32}$/;

export const externalLinkQueries: Pick<QueryResolvers, 'externalLinks' | 'externalLink' | 'resolveExternalId'> = {
  async externalLinks(_root, { filter, first, after }, { loaders, requestId }) {
    const list = `externalLinks:${JSON.stringify(filter ?? {})}`;
    checkPageArgs(list, { first, after });
    return pageOfArray(await listExternalLinks(loaders, filter ?? {}, requestId), list, { first, after });
  },
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
