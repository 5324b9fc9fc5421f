/** External links (m3ter mappings and Rev.io key links): root lookups and relations. */
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { BadUserInputError } from '../errors.js';
import type { ExternalRecordKey } from '../loaders/index.js';
import type { ExternalLink as ExternalLinkModel } from '../models.js';
import type { ExternalLinkResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { externalLinkPage } from './external-link-page.js';
import { linkGlobalId, linkIdArg } from './ids.js';
import { linksFromProviders } from './links-from-providers.js';
import { reportPartialError } from '../plugins/partial-errors-plugin.js';
import { zuoraIdOf } from '../upstreams/index.js';

const HEX32 = /^[0-9a-f]{32}$/;

export const externalLinkQueries: Pick<QueryResolvers, 'externalLinks' | 'externalLink' | 'resolveExternalId'> = {
  // Paged upstream, m3ter then Rev.io, with cursors that carry both positions (external-link-page.ts).
  externalLinks: (_root, { filter, first, after }, context, info) =>
    externalLinkPage(context.providers, context.grant, { filter: filter ?? {}, first, after }, context.requestId, (error) => reportPartialError(context, info, error)),
  externalLink: (_root, { id }, { loaders }) => loaders.linkById.load(linkIdArg(id)),
  async resolveExternalId(_root, { system, id }, context, info) {
    if (system.trim() === '' || id === '') throw new BadUserInputError('resolveExternalId needs a system name and an id, both non-empty');
    // Links store Zuora ids in the 32-hex form: a hyphenated or upper-case id finds the same links.
    const zuoraId = system.trim().toLowerCase() === 'zuora' ? zuoraIdOf(id) : undefined;
    return linksTo(context, info, { system, id: zuoraId ?? id });
  },
};

export const ExternalLink: ExternalLinkResolvers = {
  id: (link) => linkGlobalId(link),
  // Optimistic locking is m3ter's alone.
  version: (link) => (link.provider === 'M3TER' ? link.version : null),
  async sameExternal(link, _args, context, info) {
    return (await linksTo(context, info, { system: link.external.system, id: link.external.id })).filter((other) => !isSame(other, link));
  },
  entity(link, _args, { loaders }) {
    const id = link.external.id.toLowerCase();
    if (link.external.system.toLowerCase() !== 'zuora' || !HEX32.test(id)) return null;
    return loaders.entityById.load(id);
  },
};

/** Links to one external record, from each provider the key holds a grant at; one failing leaves the other's, with its error. */
function linksTo(context: GraphQLContext, info: GraphQLResolveInfo, key: ExternalRecordKey): Promise<ExternalLinkModel[]> {
  const { loaders, grant } = context;
  const providers = grant.linkProviders();
  return linksFromProviders<ExternalLinkModel>(context, info, providers.map((provider) => loaders.linksTo[provider].load(key)));
}

function isSame(a: ExternalLinkModel, b: ExternalLinkModel): boolean {
  return a.provider === b.provider && a.tenant === b.tenant && a.nativeId === b.nativeId;
}
