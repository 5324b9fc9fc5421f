/**
 * Rev.io key links as a link provider, for one client code. Names the gateway speaks (systems,
 * entity types) become Rev.io's numeric ids through the tenant's catalog here, and every write
 * body is built here; the gateway above sees only links.
 */
import { BadUserInputError, UpstreamNotFoundError } from '../../errors.js';
import type { LinkFilter, RevioLink } from '../../models.js';
import type { Call, PageReader, Paging, RevioLinks } from '../providers.js';
import type { KeyLinkRecord, KeyLinkSearch, KeyLinkWrite, RevioCatalog, RevioClient } from './client.js';
import { toExternalLink, toKeyLinkWrite } from './mapper.js';
import { REVIO_MAX_PAGES } from './paging.js';
import { revioReconcile } from './revio-reconcile.js';

/** A list position: the 1-based page number. */
type RevioAt = number;

const linkPaging: Paging<RevioAt> = {
  vendor: 'revio',
  operation: 'searchKeyLinks',
  start: 1,
  maxPages: REVIO_MAX_PAGES,
  isPosition: (at: unknown): at is RevioAt => Number.isSafeInteger(at) && (at as number) >= 1,
};

/** How links name Zuora and m3ter as their external systems; Rev.io's own names for them are configuration. */
const ZUORA_SYSTEM = 'zuora';
const M3TER_SYSTEM = 'm3ter';

export interface RevioLinksOptions {
  /** External systems (lower case) this client and its m3ter org both keep linked: the audit's ONE_SIDED. */
  bothProviders?: readonly string[];
}

export function revioLinks(client: RevioClient, options: RevioLinksOptions = {}): RevioLinks {
  const clientCode = client.clientCode;
  // Kept by the client for the life of the process: only the first request after start pays for it.
  const catalogOf = ({ requestId }: Call) => client.resolveCatalog({ requestId });
  const toLink = (record: KeyLinkRecord, catalog: RevioCatalog): RevioLink => toExternalLink(record, clientCode, catalog.names);
  const writeOf = (catalog: RevioCatalog, link: { externalSystem: string; internalType: string; internalId: string; externalId: string }): KeyLinkWrite =>
    toKeyLinkWrite({ systemId: systemIdOf(catalog, link.externalSystem), entityTypeId: entityTypeIdOf(catalog, link.internalType), internalId: link.internalId, externalId: link.externalId });

  return {
    provider: 'REVIO',
    vendor: 'revio',
    tenant: clientCode,
    optimisticLocking: false,
    bothProviders: options.bothProviders ?? [],

    // Rev.io's search takes one value per field: one id is an exact search (one call, whatever
    // the size of the system); several are one broad search of the system, ids kept here.
    async linksTo(system, externalIds, call) {
      const catalog = await catalogOf(call);
      const systemId = systemIdFor(catalog, system);
      // A system this tenant does not have cannot hold links: nothing to ask.
      if (systemId === undefined || externalIds.length === 0) return [];
      const { requestId } = call;
      const records =
        externalIds.length === 1
          ? await client.searchKeyLinks({ requestId, search: { integration_system_id: systemId, external_id: externalIds[0]! } })
          : await client.findKeyLinks({ requestId, systemId, externalIds: [...externalIds] });
      return records.map((record) => toLink(record, catalog));
    },

    // One id is an exact search; several are one broad search of their entity type (or of every
    // link, when the type is unknown), paged through and the ids kept here.
    async linksFrom(internalType, internalIds, call) {
      const catalog = await catalogOf(call);
      const ids = [...new Set(internalIds)].filter((id) => /^\d{1,10}$/.test(id) && Number(id) <= 2_147_483_647);
      const entityTypeId = internalType === null ? undefined : catalog.entityTypeId(internalType);
      // Not a Rev.io record id, or not a type this tenant has: no link can point from it.
      if (ids.length === 0 || (internalType !== null && entityTypeId === undefined)) return [];
      const { requestId } = call;
      const records =
        ids.length === 1
          ? await client.searchKeyLinks({ requestId, search: { internal_id: Number(ids[0]), ...(entityTypeId === undefined ? {} : { integration_entity_type_id: entityTypeId }) } })
          : await client.findKeyLinks({ requestId, ...(entityTypeId === undefined ? {} : { entityTypeId }), internalIds: ids.map(Number) });
      return records.map((record) => toLink(record, catalog));
    },

    holdsSystem: async (system, call) => systemIdFor(await catalogOf(call), system) !== undefined,

    linkPaging: linkPaging as Paging<unknown>,

    // One search with every filter Rev.io has (system, entity type, internal id, external id).
    async linkPages(f: LinkFilter, call): Promise<PageReader<RevioLink, unknown> | undefined> {
      const unknown = (message: string): undefined => {
        if (f.onlyThisProvider) throw new BadUserInputError(message);
        return undefined;
      };
      // Rev.io links have no external table: a filter on one matches none of them.
      if (f.externalTable) return undefined;
      const catalog = await catalogOf(call);
      const search: KeyLinkSearch = {};
      if (f.externalSystem) {
        const id = catalog.systemId(f.externalSystem);
        if (id === undefined) return unknown(`externalSystem "${f.externalSystem}" is not a Rev.io integration system here (known: ${catalog.systems.map((s) => s.name).join(', ')})`);
        search.integration_system_id = id;
      }
      if (f.internalType) {
        const id = catalog.entityTypeId(f.internalType);
        if (id === undefined) return unknown(`internalType "${f.internalType}" is not a Rev.io entity type (known: ${catalog.entityTypes.map((t) => t.name).join(', ')})`);
        search.integration_entity_type_id = id;
      }
      if (f.internalId) {
        if (!/^\d{1,10}$/.test(f.internalId)) return unknown(`internalId must be a Rev.io integer id for provider REVIO, got "${f.internalId.slice(0, 40)}"`);
        search.internal_id = Number(f.internalId);
      }
      if (f.externalId) search.external_id = f.externalId;
      return async (page) => {
        const result = await client.searchKeyLinksPage({ search, requestId: call.requestId, page: page as RevioAt });
        return { items: result.records.map((record) => toLink(record, catalog)), next: result.followingPage };
      };
    },

    async link(id, call) {
      const keyLinkId = keyLinkIdOf(id);
      if (keyLinkId === undefined) return null;
      const [catalog, record] = await Promise.all([catalogOf(call), client.getKeyLink({ id: keyLinkId, requestId: call.requestId })]);
      return record === undefined ? null : toLink(record, catalog);
    },

    async prepareCreate(link, call) {
      const write = writeOf(await catalogOf(call), link);
      return {
        fingerprint: { provider: 'REVIO', ...write },
        // Rev.io answers the new id only; the record (with its audit fields) is read back.
        write: async ({ requestId }, before) => ({ nativeId: String((await client.createKeyLink({ link: write, requestId, before })).id) }),
        matching: ({ requestId }) => revioReconcile.matching(client, write, requestId),
      };
    },

    async prepareUpdate(current, changes, call) {
      if (current.provider !== 'REVIO') throw new TypeError('a Rev.io update needs a Rev.io link');
      const catalog = await catalogOf(call);
      // A full replace: every field is sent, the stored ones where the caller changes nothing.
      const write = toKeyLinkWrite({
        systemId: changes.externalSystem ? systemIdOf(catalog, changes.externalSystem) : current.systemId,
        entityTypeId: changes.internalType ? entityTypeIdOf(catalog, changes.internalType) : current.entityTypeId,
        internalId: changes.internalId ?? current.internal.id,
        externalId: changes.externalId ?? current.external.id,
      });
      return {
        async write({ requestId }) {
          await client.replaceKeyLink({ id: Number(current.nativeId), link: write, requestId });
          return undefined;
        },
        landed: (stored) =>
          stored.provider === 'REVIO' &&
          stored.systemId === write.integration_system_id &&
          stored.entityTypeId === write.integration_entity_type_id &&
          stored.internal.id === String(write.internal_id) &&
          stored.external.id === write.external_id,
      };
    },

    async delete(id, { requestId }) {
      const keyLinkId = keyLinkIdOf(id);
      if (keyLinkId === undefined) throw new UpstreamNotFoundError({ vendor: 'revio', operation: 'deleteKeyLink', retryable: false });
      await client.deleteKeyLink({ id: keyLinkId, requestId });
    },
    isGone: async (id, { requestId }) => {
      const keyLinkId = keyLinkIdOf(id);
      return keyLinkId === undefined || (await revioReconcile.deleted(client, keyLinkId, requestId));
    },

    integrationSystems: async (call) => [...(await catalogOf(call)).systems],
    integrationEntityTypes: async (call) => [...(await catalogOf(call)).entityTypes],
    async probe({ requestId }) {
      // Readiness must hear from Rev.io now, not from a read another request started.
      await client.listSystems({ requestId, probe: true });
    },
  };
}

/** The integration system of a name; Zuora and m3ter by the names configured for them. */
function systemIdFor(catalog: RevioCatalog, system: string): number | undefined {
  const lower = system.toLowerCase();
  if (lower === ZUORA_SYSTEM) return catalog.linkedSystems.zuora;
  if (lower === M3TER_SYSTEM) return catalog.linkedSystems.m3ter;
  return catalog.systemId(system);
}

/** A key-link id as Rev.io numbers them; anything else names no link. */
function keyLinkIdOf(id: string): number | undefined {
  return /^\d{1,10}$/.test(id) && Number(id) >= 1 && Number(id) <= 2_147_483_647 ? Number(id) : undefined;
}

function systemIdOf(catalog: RevioCatalog, name: string): number {
  const id = catalog.systemId(name);
  if (id === undefined) throw new BadUserInputError(`externalSystem must name a Rev.io integration system (${catalog.systems.map((s) => s.name).join(', ')}), got "${name.slice(0, 40)}"`);
  return id;
}

function entityTypeIdOf(catalog: RevioCatalog, name: string): number {
  const id = catalog.entityTypeId(name);
  if (id === undefined) throw new BadUserInputError(`internalType must name a Rev.io entity type (${catalog.entityTypes.map((t) => t.name).join(', ')}), got "${name.slice(0, 40)}"`);
  return id;
}
