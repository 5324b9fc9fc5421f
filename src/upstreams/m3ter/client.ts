/**
 * The m3ter External Mappings client for one org and its service user: the calls the gateway
 * makes, returning m3ter's own shapes (`mapper.ts` turns them into domain models). The org id is
 * in every path and is the limiter key, and the token belongs to this client alone, so nothing
 * one tenant does can reach another's data, token or rate budget.
 *
 * Beyond the shared base (m3ter-http.ts): search-before-re-POST on create
 * (`create-mapping-safely.ts`) and the re-read after a refused update (`update-mapping-checked.ts`).
 */
import type { ExistedBefore } from '../../lib/existed-before.js';
import { UpstreamNotFoundError } from '../../errors.js';
import { collectPages } from '../../lib/page-through.js';
import { createMappingSafely, sameIdentity } from './create-mapping-safely.js';
import { configurationBody, mappingBody, pageBody } from './m3ter-bodies.js';
import { createM3terHttp, type M3terHttpOptions } from './m3ter-http.js';
import { m3terPaths } from './m3ter-paths.js';
import { createBody, listFilters, nextTokenOf, pageSizeOf, updateBody, type Filters } from './m3ter-requests.js';
import type {
  M3terCallOptions,
  M3terExternalRecordRef,
  M3terMapping,
  M3terMappingConfiguration,
  M3terMappingCreate,
  M3terMappingFilters,
  M3terMappingPage,
  M3terMappingUpdate,
  M3terObjectRef,
  M3terPageOptions,
} from './m3ter-types.js';
import { m3terPages, m3terSearchParams, type M3terPageRequest } from './paging.js';
import { createSystemNames } from './system-names.js';
import { updateMappingChecked } from './update-mapping-checked.js';

export type M3terClientOptions = M3terHttpOptions;

export interface M3terClient {
  readonly orgId: string;
  /** `GET /externalmappings`, one page. */
  listMappings(options?: M3terMappingFilters & M3terPageOptions): Promise<M3terMappingPage>;
  /** `GET /externalmappings`, every page, filters repeated on each. */
  listAllMappings(options?: M3terMappingFilters): Promise<M3terMapping[]>;
  /** The mappings of one external record, one page. */
  listMappingsByExternalId(options: M3terExternalRecordRef & M3terPageOptions): Promise<M3terMappingPage>;
  /** The mappings of one m3ter object, one page. */
  listMappingsByM3terObject(options: M3terObjectRef & M3terPageOptions): Promise<M3terMappingPage>;
  /** The stored mapping with the identity fields of `mapping`, if any (m3ter allows only one). */
  findMapping(mapping: M3terMappingCreate, options?: M3terCallOptions & { deadlineMs?: number }): Promise<M3terMapping | undefined>;
  /** `POST /externalmappings`; reconciles by search after an ambiguous failure (see `create-mapping-safely.ts`). */
  createMapping(options: M3terCallOptions & { mapping: M3terMappingCreate; before: ExistedBefore }): Promise<M3terMapping>;
  getMapping(options: M3terCallOptions & { id: string }): Promise<M3terMapping>;
  /** A full replacement carrying the version last read; answers with version + 1. */
  updateMapping(options: M3terCallOptions & { id: string; mapping: M3terMappingUpdate }): Promise<M3terMapping>;
  /**
   * Answers with the deleted mapping, or `undefined` when a retried DELETE met 404: the attempt
   * whose answer was lost deleted it, and the goal holds.
   */
  deleteMapping(options: M3terCallOptions & { id: string }): Promise<M3terMapping | undefined>;
  /** `GET /externalmappingconfiguration`: the systems and entities the org maps. */
  getConfiguration(options?: M3terCallOptions): Promise<M3terMappingConfiguration>;
  /** m3ter's spelling of an external system name (any case), from the configuration kept per process: see system-names.ts. */
  systemName(name: string, options?: M3terCallOptions): Promise<string>;
  /** The lower-cased names of the systems the org maps, from the same kept configuration. */
  mappedSystems(options?: M3terCallOptions): Promise<ReadonlySet<string>>;
  /** Closes idle sockets. */
  close(): void;
}

export function createM3terClient(options: M3terClientOptions): M3terClient {
  const orgId = options.tenant.orgId;
  const http = createM3terHttp(options);
  const { policy, timeouts, random, send } = http;
  const paths = m3terPaths(orgId);

  /** One paged endpoint: a page at a given position, or all pages from the first. */
  const listing = (operation: string, path: () => string, filters: Filters, requestId: string | undefined, deadlineMs?: number) => {
    const fetchPage = async (request: M3terPageRequest): Promise<M3terMappingPage> =>
      pageBody(await send('GET', path(), operation, { requestId, searchParams: m3terSearchParams(request, filters), ...(deadlineMs === undefined ? {} : { deadlineMs }) }), operation);
    return {
      page: async (position: M3terPageOptions) => fetchPage({ pageSize: pageSizeOf(position.pageSize), ...nextTokenOf(position.nextToken) }),
      pages: () =>
        m3terPages(async (request) => {
          const page = await fetchPage(request);
          return { data: page.mappings, nextToken: page.nextToken };
        }, operation),
    };
  };

  const list = (o: M3terMappingFilters = {}) => listing('listMappings', paths.mappings, listFilters(o), o.requestId);

  const findMapping = async (mapping: M3terMappingCreate, { requestId, deadlineMs }: M3terCallOptions & { deadlineMs?: number } = {}) => {
    const path = () => paths.byM3terObject(mapping.m3terEntity, mapping.m3terId);
    for await (const page of listing('findMapping', path, {}, requestId, deadlineMs).pages()) {
      const same = page.find((candidate) => sameIdentity(candidate, mapping));
      if (same !== undefined) return same;
    }
    return undefined;
  };

  const getConfiguration = async ({ requestId, probe }: M3terCallOptions = {}): Promise<M3terMappingConfiguration> =>
    configurationBody(await send('GET', paths.configuration(), 'getConfiguration', { requestId, ...(probe === undefined ? {} : { probe }) }), 'getConfiguration');
  const systemNames = createSystemNames({
    load: (requestId) => getConfiguration({ requestId }),
    // As long as the names are kept here; a replica that finds them younger does not ask m3ter.
    shared: options.sharedState?.entry('m3ter-system-names', orgId, { ttlMs: 300_000, decode: stringList }),
  });

  return {
    orgId,
    listMappings: (o = {}) => list(o).page(o),
    listAllMappings: (o = {}) => collectPages(list(o).pages()),
    listMappingsByExternalId: (o) =>
      listing('listMappingsByExternalId', () => paths.byExternalId(o.externalSystem, o.externalTable, o.externalId), {}, o.requestId).page(o),
    listMappingsByM3terObject: (o) => listing('listMappingsByM3terObject', () => paths.byM3terObject(o.m3terEntity, o.m3terId), {}, o.requestId).page(o),
    findMapping,
    createMapping: ({ mapping, requestId, before }) => {
      const body = createBody(mapping);
      return createMappingSafely({
        post: async (deadlineMs) => mappingBody(await send('POST', paths.mappings(), 'createMapping', { requestId, json: body, deadlineMs }), 'createMapping'),
        findSame: (deadlineMs) => findMapping(mapping, { requestId, deadlineMs }),
        before,
        policy,
        deadlineMs: timeouts.deadlineMs,
        attemptMs: timeouts.attemptMs,
        random,
        now: Date.now,
      });
    },
    getMapping: async ({ id, requestId }) => mappingBody(await send('GET', paths.mapping(id), 'getMapping', { requestId }), 'getMapping'),
    updateMapping: ({ id, mapping, requestId }) =>
      updateMappingChecked(mapping, {
        put: async () => mappingBody(await send('PUT', paths.mapping(id), 'updateMapping', { requestId, json: updateBody(mapping) }), 'updateMapping'),
        get: async () => mappingBody(await send('GET', paths.mapping(id), 'updateMapping', { requestId }), 'updateMapping'),
      }),
    deleteMapping: async ({ id, requestId }) => {
      try {
        return mappingBody(await send('DELETE', paths.mapping(id), 'deleteMapping', { requestId }), 'deleteMapping');
      } catch (error) {
        // Only after an earlier attempt of this call: a first-attempt 404 is a mapping that never was (or is long gone).
        if (error instanceof UpstreamNotFoundError && (error.attempts ?? 1) > 1) return undefined;
        throw error;
      }
    },
    getConfiguration,
    systemName: (name, { requestId } = {}) => systemNames.spelling(name, requestId),
    mappedSystems: ({ requestId } = {}) => systemNames.known(requestId),
    close: http.close,
  };
}

/** What the shared system-names entry must hold: a list of names. */
function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}
