/**
 * The Rev.io Integration Linking client for one client tenant: the calls the gateway makes,
 * returning Rev.io's own shapes (the mapper makes domain models of them).
 * One client per client code: the code is part of the Basic credentials and the subscription
 * key is per tenant, so tenancy is fixed when the client is built and no call can cross it.
 *
 *   const revio = createRevioClient({ url, tenant, systemNames: config.revioSystems });
 *   const catalog = await revio.resolveCatalog();
 *   const links = await revio.findKeyLinks({ systemId: catalog.linkedSystems.zuora, internalIds: [1001, 1002], requestId });
 */
import type { ExistedBefore } from '../../lib/existed-before.js';
import { BadUserInputError, UpstreamContractError, UpstreamError } from '../../errors.js';
import { isRecord } from '../classification.js';
import type { RevioTenant } from '../../config.js';
import { DEFAULT_TIMEOUTS } from '../http.js';
import { DEFAULT_RETRY_POLICY } from '../retry-policy.js';
import {
  entityTypeFilters,
  matchesEntityTypeSearch,
  matchesSystemSearch,
  systemFilters,
  type EntityTypeRecord,
  type EntityTypeSearch,
  type SystemRecord,
  type SystemSearch,
} from './catalog-search.js';
import { createKeyLinkSafely, type CreatedKeyLink } from './create-key-link.js';
import { keyLinkFilters, matchesKeyLinkSearch, type KeyLinkRecord, type KeyLinkSearch, type KeyLinkWrite } from './key-link-search.js';
import type { IntegrationEntityType, IntegrationSystem } from '../../models.js';
import { toIntegrationEntityType, toIntegrationSystem } from './mapper.js';
import { buildRevioCatalog, type RevioCatalog, type RevioSystemNames } from './revio-catalog.js';
import { revioReconcile } from './revio-reconcile.js';
import { revioCollection, type RevioCallOptions, type RevioPage, type RevioPageOptions } from './revio-collection.js';
import { createRevioHttp, type RevioHttpOptions } from './revio-http.js';

export type { CreatedKeyLink } from './create-key-link.js';
export type { KeyLinkRecord, KeyLinkSearch, KeyLinkWrite } from './key-link-search.js';
export type { EntityTypeRecord, EntityTypeSearch, SystemRecord, SystemSearch } from './catalog-search.js';
export type { RevioCallOptions, RevioPage, RevioPageOptions } from './revio-collection.js';
export type { RevioCatalog, RevioSystemNames } from './revio-catalog.js';

export interface RevioClientOptions extends RevioHttpOptions {
  /** Config `revioSystems`: the names of the Zuora and m3ter systems in Rev.io. */
  systemNames: Readonly<RevioSystemNames>;
}

/** Many records' links at once: Rev.io's search takes one value per field, so one broad search, filtered here. */
export interface KeyLinkBatch extends RevioCallOptions {
  /** Absent: every system (a search by entity type, or of every link). */
  systemId?: number;
  entityTypeId?: number;
  internalIds?: readonly number[];
  /** Compared case-sensitively. */
  externalIds?: readonly string[];
}

type ListOptions<Search> = Omit<RevioPageOptions<Search>, 'page'>;

/** A record addressed by its Rev.io id (int32). */
export interface RevioIdOptions extends RevioCallOptions {
  id: number;
}

export interface RevioClient {
  readonly clientCode: string;

  /** Every integration system (the readiness probe's read). */
  listSystems(options?: ListOptions<SystemSearch>): Promise<SystemRecord[]>;

  /** Systems and entity types, loaded once per client (again after a failed load). */
  resolveCatalog(options?: RevioCallOptions): Promise<RevioCatalog>;

  searchKeyLinksPage(options?: RevioPageOptions<KeyLinkSearch>): Promise<RevioPage<KeyLinkRecord>>;
  searchKeyLinks(options?: ListOptions<KeyLinkSearch>): Promise<KeyLinkRecord[]>;
  findKeyLinks(options: KeyLinkBatch): Promise<KeyLinkRecord[]>;
  /** By searching on the id (the by-id GET is not confirmed on real tenants); `undefined` when there is none. */
  getKeyLink(options: RevioIdOptions): Promise<KeyLinkRecord | undefined>;
  createKeyLink(options: RevioCallOptions & { link: KeyLinkWrite; before: ExistedBefore }): Promise<CreatedKeyLink>;
  /** Full replace (PUT); the id and audit fields stay. Unanswered after retries, it reads the link back: holding `link` means done. */
  replaceKeyLink(options: RevioIdOptions & { link: KeyLinkWrite }): Promise<void>;
  /** A retried DELETE that meets 404 succeeded on an earlier attempt, so it resolves. */
  deleteKeyLink(options: RevioIdOptions): Promise<void>;

  close(): void;
}

const SYSTEMS = 'v1/IntegrationSystem';
const ENTITY_TYPES = 'v1/IntegrationEntityType';
const KEY_LINKS = 'v1/IntegrationKeyLink';

export function createRevioClient(options: RevioClientOptions): RevioClient {
  const http = createRevioHttp(options);
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const deadlineMs = options.timeouts?.deadlineMs ?? DEFAULT_TIMEOUTS.deadlineMs;
  const clientCode = options.tenant.clientCode;

  const systems = revioCollection(http, {
    path: SYSTEMS,
    operation: 'listSystems',
    idOf: (record: SystemRecord) => record.integration_system_id,
    filters: systemFilters,
    matches: matchesSystemSearch,
  });
  const entityTypes = revioCollection(http, {
    path: ENTITY_TYPES,
    operation: 'listEntityTypes',
    idOf: (record: EntityTypeRecord) => record.integration_entity_type_id,
    filters: entityTypeFilters,
    matches: matchesEntityTypeSearch,
  });
  const keyLinks = revioCollection(http, {
    path: KEY_LINKS,
    operation: 'searchKeyLinks',
    idOf: (record: KeyLinkRecord) => record.integration_key_link_id,
    filters: keyLinkFilters,
    matches: matchesKeyLinkSearch,
  });

  const getKeyLink = async ({ id, ...call }: RevioIdOptions): Promise<KeyLinkRecord | undefined> => {
    const page = await keyLinks.page({ ...call, search: { integration_key_link_id: checkedId(id) } });
    return page.records[0];
  };

  let catalog: Promise<RevioCatalog> | undefined;
  // Replicas on Redis share the lists: a replica that finds them stored does not ask Rev.io.
  const sharedLists = options.sharedState?.entry('revio-catalog', clientCode, { ttlMs: SHARED_CATALOG_TTL_MS, decode: catalogLists });
  const loadCatalog = async (call: RevioCallOptions): Promise<RevioCatalog> => {
    const stored = await sharedLists?.read();
    if (stored !== undefined) return buildRevioCatalog(clientCode, stored.value.systems, stored.value.entityTypes, options.systemNames);
    const [systemRecords, typeRecords] = await Promise.all([systems.all(call), entityTypes.all(call)]);
    const lists = { systems: systemRecords.map(toIntegrationSystem), entityTypes: typeRecords.map(toIntegrationEntityType) };
    void sharedLists?.write(lists);
    return buildRevioCatalog(clientCode, lists.systems, lists.entityTypes, options.systemNames);
  };

  return {
    clientCode,

    listSystems: systems.all,

    resolveCatalog(call = {}) {
      catalog ??= loadCatalog(call).catch((error: unknown) => {
        // A failed load is not cached: the next caller tries again.
        catalog = undefined;
        throw error;
      });
      return catalog;
    },

    searchKeyLinksPage: keyLinks.page,
    searchKeyLinks: keyLinks.all,

    async findKeyLinks({ systemId, entityTypeId, internalIds: internal, externalIds: external, ...call }) {
      const internalIds = internal === undefined ? undefined : new Set(internal.map(String));
      const externalIds = external === undefined ? undefined : new Set(external);
      const search = { integration_system_id: systemId, integration_entity_type_id: entityTypeId };
      const found: KeyLinkRecord[] = [];
      for await (const records of keyLinks.pages({ ...call, search })) {
        for (const record of records) {
          if (internalIds !== undefined && !internalIds.has(String(record.internal_id))) continue;
          if (externalIds !== undefined && !externalIds.has(record.external_id)) continue;
          found.push(record);
        }
      }
      return found;
    },

    getKeyLink,

    createKeyLink: ({ link, before, ...call }) =>
      createKeyLinkSafely(link, {
        before,
        policy,
        deadlineMs: call.deadlineMs ?? deadlineMs,
        random: options.random ?? Math.random,
        post: async (write, remainingMs) => {
          const created = await http.reads.write(() =>
            http.got.post(KEY_LINKS, { json: write, context: { ...http.context('createKeyLink', { ...call, deadlineMs: remainingMs }) } }).json<unknown>(),
          );
          // The id comes from the body, never from Location: the vendor's own example shows two different ids.
          if (!isRecord(created) || typeof created.id !== 'number' || !Number.isInteger(created.id)) throw contractError('createKeyLink', 'MISSING_ID');
          return created.id;
        },
        find: (write, remainingMs) => keyLinks.all({ ...call, deadlineMs: remainingMs, search: write }),
      }),

    async replaceKeyLink({ id, link, ...call }) {
      try {
        await http.reads.write(() => http.got.put(idPath(KEY_LINKS, id), { json: link, context: { ...http.context('replaceKeyLink', call) } }));
      } catch (error) {
        // No answer after the base's retries: the PUT may have landed. A full replace is
        // settled by reading the link back; a read that fails leaves the PUT's failure standing.
        if (!(error instanceof UpstreamError) || !error.retryable || (error.status !== undefined && error.status < 500)) throw error;
        const stored = await getKeyLink({ id, ...call }).catch(() => undefined);
        if (stored !== undefined && revioReconcile.replaced(stored, link)) return;
        throw error;
      }
    },

    async deleteKeyLink({ id, ...call }) {
      await http.reads.write(() => http.got.delete(idPath(KEY_LINKS, id), { context: { ...http.context('deleteKeyLink', call) } }));
    },

    close: http.close,
  };
}

/**
 * A process keeps its catalog for life (it changes when Rev.io support adds a system); the shared
 * copy lives an hour, so replicas started later pick up such a change within that.
 */
const SHARED_CATALOG_TTL_MS = 3_600_000;

/** What the shared catalog entry must hold: two lists of `{ id, name }`. */
function catalogLists(value: unknown): { systems: IntegrationSystem[]; entityTypes: IntegrationEntityType[] } | undefined {
  const isList = (items: unknown): items is { id: number; name: string }[] =>
    Array.isArray(items) && items.every((item) => isRecord(item) && Number.isInteger(item.id) && typeof item.name === 'string');
  if (!isRecord(value) || !isList(value.systems) || !isList(value.entityTypes)) return undefined;
  return { systems: value.systems.map(({ id, name }) => ({ id, name })), entityTypes: value.entityTypes.map(({ id, name }) => ({ id, name })) };
}

function idPath(path: string, id: number): string {
  return `${path}/${checkedId(id)}`;
}

/** Rev.io ids are int32; anything else would be our caller's mistake, caught before a request. */
function checkedId(id: number): number {
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) throw new BadUserInputError(`A Rev.io id must be a positive integer, got ${String(id)}`);
  return id;
}

function contractError(operation: string, vendorCode: string): UpstreamContractError {
  return new UpstreamContractError({ vendor: 'revio', operation, status: 200, retryable: false, vendorCode });
}
