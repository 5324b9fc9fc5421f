/**
 * The m3ter External Mappings client (CONTRACTS §2): one extended got instance and one thin,
 * typed method per endpoint of §2.2, returning m3ter's own shapes (`mapper.ts` turns them into
 * domain models). One client serves one org with one service user: the org id is in every path
 * and is the limiter key, and the token cache belongs to this client alone, so nothing one
 * tenant does can reach another's data, token or rate budget.
 *
 * What the shared base does not: the token call (`m3ter-token-provider.ts`), search-before-re-POST on create
 * (`create-mapping-safely.ts`), and the re-read after a refused update (`update-mapping-checked.ts`).
 */
import type { M3terTenant } from '../../config.js';
import { UpstreamNotFoundError } from '../../errors.js';
import { collectPages } from '../../lib/page-through.js';
import { type VendorHealthOptions, createUpstreamHttp, DEFAULT_TIMEOUTS, type HttpTimeouts, type UpstreamCallEvent } from '../http.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry-policy.js';
import { DEFAULT_TENANT_LIMITS, TenantLimiter, type TenantLimits } from '../tenant-limiter.js';
import type { TokenFetchEvent } from '../token-provider.js';
import { bearerAuth } from '../upstream-auth.js';
import { chunkM3terIds } from './chunk-m3ter-ids.js';
import { classifyM3ter } from './classify.js';
import { createMappingSafely, sameIdentity } from './create-mapping-safely.js';
import { configurationBody, mappingBody, pageBody, valuesBody } from './m3ter-bodies.js';
import { m3terPaths } from './m3ter-paths.js';
import { createM3terTokenProvider } from './m3ter-token-provider.js';
import { createSystemNames } from './system-names.js';
import type {
  M3terCallOptions,
  M3terExternalRecordRef,
  M3terExternalValue,
  M3terExternalValuesQuery,
  M3terMapping,
  M3terMappingConfiguration,
  M3terMappingCreate,
  M3terMappingFilters,
  M3terMappingPage,
  M3terMappingUpdate,
  M3terObjectRef,
  M3terPageOptions,
} from './m3ter-types.js';
import { createBody, listFilters, nextTokenOf, pageSizeOf, updateBody, type Filters } from './m3ter-requests.js';
import { m3terPages, m3terSearchParams, type M3terPageRequest } from './paging.js';
import { updateMappingChecked } from './update-mapping-checked.js';
import type { Vendor } from '../vendor.js';

export interface M3terClientOptions {
  /** `INTERLINK_M3TER_URL`: scheme and host. */
  url: string;
  tenant: Readonly<M3terTenant>;
  retry?: Readonly<Partial<RetryPolicy>>;
  timeouts?: Readonly<Partial<HttpTimeouts>>;
  /** This org's client-side limit (default ~40 calls/s, CONTRACTS §2.5). */
  limits?: Readonly<TenantLimits>;
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Asked before each call (a request's vendor-call budget); throwing refuses it. */
  beforeUpstreamCall?: (call: { vendor: Vendor; operation: string }) => void;
  /** Circuit breaker and retry budget (http.ts); on by default. */
  health?: VendorHealthOptions;
  onTokenFetch?: (event: TokenFetchEvent) => void;
  /** For tests: the token cache's clock (default `Date.now`). */
  now?: () => number;
  /** For tests: the jitter source (default `Math.random`). */
  random?: () => number;
}

export interface M3terClient {
  readonly orgId: string;
  /** Row 1, one page. */
  listMappings(options?: M3terMappingFilters & M3terPageOptions): Promise<M3terMappingPage>;
  /** Row 1, every page in turn, filters repeated on each. */
  mappingPages(options?: M3terMappingFilters): AsyncGenerator<M3terMapping[], void, undefined>;
  listAllMappings(options?: M3terMappingFilters): Promise<M3terMapping[]>;
  /** Row 1 for any number of m3ter ids: chunked to fit the URL, every page of every chunk. */
  listByM3terIds(options: M3terMappingFilters & { m3terIds: readonly string[] }): Promise<M3terMapping[]>;
  /** Row 2; reconciles by search after an ambiguous failure (see `create-mapping-safely.ts`). */
  createMapping(options: M3terCallOptions & { mapping: M3terMappingCreate }): Promise<M3terMapping>;
  /** Row 3. */
  getMapping(options: M3terCallOptions & { id: string }): Promise<M3terMapping>;
  /** Row 4: a full replacement carrying the version last read; answers with version + 1. */
  updateMapping(options: M3terCallOptions & { id: string; mapping: M3terMappingUpdate }): Promise<M3terMapping>;
  /**
   * Row 5: answers with the deleted mapping, or `undefined` when a retried DELETE met 404: the
   * attempt whose answer was lost deleted it, and the goal holds.
   */
  deleteMapping(options: M3terCallOptions & { id: string }): Promise<M3terMapping | undefined>;
  /** Row 6, one page. */
  listMappingsByExternalId(options: M3terExternalRecordRef & M3terPageOptions): Promise<M3terMappingPage>;
  mappingPagesByExternalId(options: M3terExternalRecordRef): AsyncGenerator<M3terMapping[], void, undefined>;
  listAllMappingsByExternalId(options: M3terExternalRecordRef): Promise<M3terMapping[]>;
  /** Row 7, one page. */
  listMappingsByM3terObject(options: M3terObjectRef & M3terPageOptions): Promise<M3terMappingPage>;
  mappingPagesByM3terObject(options: M3terObjectRef): AsyncGenerator<M3terMapping[], void, undefined>;
  listAllMappingsByM3terObject(options: M3terObjectRef): Promise<M3terMapping[]>;
  /** Row 8. */
  getConfiguration(options?: M3terCallOptions): Promise<M3terMappingConfiguration>;
  /** m3ter's spelling of an external system name (any case), from row 8 kept per process: see system-names.ts. */
  systemName(name: string, options?: M3terCallOptions): Promise<string>;
  /** Row 9 (the sandbox always answers `[]`; nothing relies on it). */
  getExternalValues(options: M3terExternalValuesQuery): Promise<M3terExternalValue[]>;
  /** Closes idle sockets. */
  close(): void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Send {
  requestId?: string | undefined;
  searchParams?: URLSearchParams;
  json?: unknown;
  deadlineMs?: number;
}

export function createM3terClient(options: M3terClientOptions): M3terClient {
  const { tenant } = options;
  const orgId = tenant.orgId;
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeouts: HttpTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const base = createUpstreamHttp({
    vendor: 'm3ter',
    classify: classifyM3ter,
    requestIdHeader: 'X-Request-Id',
    // m3ter answers an expired bearer with 403 (CONTRACTS §2.1).
    refreshAuthOn: [401, 403],
    retry: policy,
    timeouts,
    limiter: new TenantLimiter(options.limits ?? DEFAULT_TENANT_LIMITS.m3ter),
    onUpstreamCall: options.onUpstreamCall,
    beforeUpstreamCall: options.beforeUpstreamCall,
    ...(options.health === undefined ? {} : { health: options.health }),
    random,
  });
  const api = base.got.extend({ prefixUrl: options.url });
  const tokens = createM3terTokenProvider({
    api,
    credential: tenant.name,
    accessKeyId: tenant.accessKeyId,
    apiSecret: tenant.apiSecret,
    policy,
    random,
    onTokenFetch: options.onTokenFetch,
    now: options.now,
  });
  const auth = bearerAuth(tokens);
  const paths = m3terPaths(orgId);

  const send = async (method: Method, path: string, operation: string, call: Send): Promise<unknown> => {
    const { requestId, searchParams, json, deadlineMs } = call;
    const response = await api(path, {
      method,
      ...(searchParams === undefined ? {} : { searchParams }),
      ...(json === undefined ? {} : { json }),
      context: { operation, requestId, auth, tenant: orgId, deadlineMs },
    });
    return response.body as unknown;
  };

  /** One paged endpoint: a page at a given position, or all pages from the first. */
  const listing = (operation: string, path: () => string, filters: Filters, requestId: string | undefined, deadlineMs?: number) => {
    const fetchPage = async (request: M3terPageRequest): Promise<M3terMappingPage> =>
      pageBody(await send('GET', path(), operation, { requestId, searchParams: m3terSearchParams(request, filters), deadlineMs }), operation);
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
  const byExternalId = (o: M3terExternalRecordRef) =>
    listing('listMappingsByExternalId', () => paths.byExternalId(o.externalSystem, o.externalTable, o.externalId), {}, o.requestId);
  const byM3terObject = (o: M3terObjectRef) =>
    listing('listMappingsByM3terObject', () => paths.byM3terObject(o.m3terEntity, o.m3terId), {}, o.requestId);

  const getConfiguration = async ({ requestId }: M3terCallOptions = {}): Promise<M3terMappingConfiguration> =>
    configurationBody(await send('GET', paths.configuration(), 'getConfiguration', { requestId }), 'getConfiguration');
  const systemNames = createSystemNames({ load: (requestId) => getConfiguration({ requestId }) });

  return {
    orgId,
    listMappings: (o = {}) => list(o).page(o),
    mappingPages: (o = {}) => list(o).pages(),
    listAllMappings: (o = {}) => collectPages(list(o).pages()),
    listByM3terIds: async ({ m3terIds, ...filters }) => {
      const wanted = new Set(m3terIds);
      const chunks = chunkM3terIds(m3terIds);
      const results = await Promise.all(chunks.map((chunk) => collectPages(list({ ...filters, m3terIds: chunk }).pages())));
      const byId = new Map<string, M3terMapping>();
      // Re-checked here: a mapping listed twice (pages shifting under writes) or off-filter is dropped.
      for (const mapping of results.flat()) if (wanted.has(mapping.m3terId) && !byId.has(mapping.id)) byId.set(mapping.id, mapping);
      return [...byId.values()];
    },
    createMapping: ({ mapping, requestId }) => {
      const body = createBody(mapping);
      return createMappingSafely({
        post: async (deadlineMs) => mappingBody(await send('POST', paths.mappings(), 'createMapping', { requestId, json: body, deadlineMs }), 'createMapping'),
        findSame: async (deadlineMs) => {
          const path = () => paths.byM3terObject(mapping.m3terEntity, mapping.m3terId);
          for await (const page of listing('findCreatedMapping', path, {}, requestId, deadlineMs).pages()) {
            const same = page.find((candidate) => sameIdentity(candidate, mapping));
            if (same !== undefined) return same;
          }
          return undefined;
        },
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
    listMappingsByExternalId: (o) => byExternalId(o).page(o),
    mappingPagesByExternalId: (o) => byExternalId(o).pages(),
    listAllMappingsByExternalId: (o) => collectPages(byExternalId(o).pages()),
    listMappingsByM3terObject: (o) => byM3terObject(o).page(o),
    mappingPagesByM3terObject: (o) => byM3terObject(o).pages(),
    listAllMappingsByM3terObject: (o) => collectPages(byM3terObject(o).pages()),
    getConfiguration,
    systemName: (name, { requestId } = {}) => systemNames.spelling(name, requestId),
    getExternalValues: async ({ destination, entityType, integrationCredentialsId, externalTable, requestId }) => {
      const searchParams = new URLSearchParams(externalTable === undefined ? {} : { externalTable });
      const path = paths.values(destination, entityType, integrationCredentialsId);
      return valuesBody(await send('GET', path, 'getExternalValues', { requestId, searchParams }), 'getExternalValues');
    },
    close: () => base.close(),
  };
}
