/**
 * External links, the first-attempt way: each `resolveExternalId` reads m3ter's configuration
 * (for the system's exact spelling) and the system's whole list, and makes an exact Rev.io
 * search after reading Rev.io's catalog (for the system id and names); `ExternalLink.entity`
 * reads its Zuora entity by id, once per link.
 */
import { GraphQLError } from 'graphql';
import { loadRevioCatalog, linkRefOf, searchAllKeyLinks, type M3terMapping } from '../direct-rest/vendor-reads.js';
import { getEntity, linkFromKeyLink, linkFromMapping, linkId, linksTo, type LinkModel, type NaiveContext } from './naive-calls.js';

type Args = Record<string, any>;

const HEX32 = /^[0-9a-f]{32}$/;

function refOf(id: string) {
  const ref = linkRefOf(id);
  if (ref === undefined || (ref.provider !== 'M3TER' && ref.provider !== 'REVIO')) {
    throw new GraphQLError(`id must be an ExternalLink id, got "${id.slice(0, 80)}"`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return ref;
}

async function linkById(context: NaiveContext, id: string): Promise<LinkModel | null> {
  const ref = refOf(id);
  if (ref.provider === 'M3TER') {
    const mapping = await context.v.m3ter<M3terMapping>('GET', `externalmappings/${encodeURIComponent(ref.nativeId)}`);
    return linkFromMapping(mapping, context.sandbox.credentials.m3ter.orgId);
  }
  const catalog = await loadRevioCatalog(context.v);
  const [record] = await searchAllKeyLinks(context.v, { integration_key_link_id: Number(ref.nativeId) });
  return record === undefined ? null : linkFromKeyLink(record, context.sandbox.credentials.revio.clientCode, catalog);
}

export const linkQueries = {
  externalLink: (_root: unknown, { id }: Args, context: NaiveContext) => linkById(context, id),
  resolveExternalId: (_root: unknown, { system, id }: Args, context: NaiveContext) => linksTo(context, system, id),
  async integrationSystems(_root: unknown, _args: Args, context: NaiveContext) {
    return [...(await loadRevioCatalog(context.v)).systemName].map(([id, name]) => ({ id, name }));
  },
  async integrationEntityTypes(_root: unknown, _args: Args, context: NaiveContext) {
    return [...(await loadRevioCatalog(context.v)).entityTypeName].map(([id, name]) => ({ id, name }));
  },
  mappingConfiguration: (_root: unknown, _args: Args, context: NaiveContext) => context.v.m3ter('GET', 'externalmappingconfiguration'),
};

export const linkMutations = {
  async createExternalLink(_root: unknown, { input }: Args, context: NaiveContext) {
    const { v, sandbox } = context;
    let externalLink: LinkModel;
    if (input.provider === 'M3TER') {
      const mapping = await v.m3ter<M3terMapping>('POST', 'externalmappings', {
        json: { m3terEntity: input.internalType, m3terId: input.internalId, externalSystem: input.externalSystem, externalTable: input.externalTable, externalId: input.externalId },
      });
      externalLink = linkFromMapping(mapping, sandbox.credentials.m3ter.orgId);
    } else {
      const catalog = await loadRevioCatalog(v);
      const write = {
        integration_system_id: catalog.systemId(input.externalSystem),
        integration_entity_type_id: catalog.entityTypeId(input.internalType),
        internal_id: Number(input.internalId),
        external_id: input.externalId,
      };
      const { id } = await v.revio<{ id: number }>('POST', 'v1/IntegrationKeyLink', { json: write });
      const [record] = await searchAllKeyLinks(v, { integration_key_link_id: id });
      if (record === undefined) throw new GraphQLError(`Rev.io created key link ${id} but cannot find it`);
      externalLink = linkFromKeyLink(record, sandbox.credentials.revio.clientCode, catalog);
    }
    return { clientMutationId: input.clientMutationId ?? null, externalLink };
  },
  async deleteExternalLink(_root: unknown, { input }: Args, context: NaiveContext) {
    const ref = refOf(input.id);
    if (ref.provider === 'M3TER') await context.v.m3ter('DELETE', `externalmappings/${encodeURIComponent(ref.nativeId)}`);
    else await context.v.revio('DELETE', `v1/IntegrationKeyLink/${Number(ref.nativeId)}`);
    return { clientMutationId: input.clientMutationId ?? null, deletedId: input.id };
  },
};

export const ExternalLink = {
  id: linkId,
  async sameExternal(link: LinkModel, _args: Args, context: NaiveContext) {
    const others = await linksTo(context, link.external.system, link.external.id);
    return others.filter((other) => other.provider !== link.provider || other.nativeId !== link.nativeId);
  },
  entity(link: LinkModel, _args: Args, context: NaiveContext) {
    const id = link.external.id.toLowerCase();
    return link.external.system.toLowerCase() === 'zuora' && HEX32.test(id) ? getEntity(context, id) : null;
  },
};
