/**
 * W4 by hand, on Rev.io: create is `POST /v1/IntegrationKeyLink` (which answers only the new id)
 * and one search on that id for the stored record (its `created_date` and `created_by`); delete
 * is one `DELETE`. The system and entity-type ids come from the catalog loaded at start.
 *
 * `POST /w4/create` body `{ input: CreateExternalLinkInput }` (provider REVIO);
 * `POST /w4/delete` body `{ id }` (the global id create answered).
 */
import type { DirectContext } from './direct-context.js';
import { VendorCallError } from './vendor-http.js';
import { globalId, linkRefOf, searchAllKeyLinks } from './vendor-reads.js';

export interface CreateInput {
  provider: string;
  internalType: string;
  internalId: string;
  externalSystem: string;
  externalId: string;
}

export async function createLink({ v, catalog, sandbox }: DirectContext, input: CreateInput): Promise<unknown> {
  const systemId = catalog.systemId(input.externalSystem);
  const entityTypeId = catalog.entityTypeId(input.internalType);
  if (input.provider !== 'REVIO' || systemId === undefined || entityTypeId === undefined) {
    throw new VendorCallError('direct', 'input must name provider REVIO, a Rev.io system and a Rev.io entity type', 400);
  }
  const write = { integration_system_id: systemId, integration_entity_type_id: entityTypeId, internal_id: Number(input.internalId), external_id: input.externalId };
  const { id } = await v.revio<{ id: number }>('POST', 'v1/IntegrationKeyLink', { json: write });
  const [record] = await searchAllKeyLinks(v, { integration_key_link_id: id });
  const clientCode = sandbox.credentials.revio.clientCode;
  return {
    createExternalLink: {
      externalLink: {
        id: globalId('ExternalLink', 'REVIO', clientCode, String(id)),
        provider: 'REVIO',
        nativeId: String(id),
        tenant: clientCode,
        internal: { type: catalog.entityTypeName.get(entityTypeId)!, id: String(write.internal_id) },
        external: { system: catalog.systemName.get(systemId)!, id: write.external_id },
        createdAt: record?.created_date ?? null,
        createdBy: record?.created_by === null || record?.created_by === undefined ? null : String(record.created_by),
      },
    },
  };
}

export async function deleteLink({ v }: DirectContext, id: string): Promise<unknown> {
  const ref = linkRefOf(id);
  if (ref?.provider !== 'REVIO' || !/^\d+$/.test(ref.nativeId)) throw new VendorCallError('direct', 'id must be a Rev.io ExternalLink id', 400);
  await v.revio('DELETE', `v1/IntegrationKeyLink/${ref.nativeId}`);
  return { deleteExternalLink: { deletedId: id } };
}
