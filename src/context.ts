/**
 * What every resolver receives, built fresh for each GraphQL request: its id, the tenant it acts
 * for (from the Interlink-* headers and the caller's grant, see request-tenant.ts), what the
 * caller may reach (authorization/request-grant.ts), the vendor providers of its tenant, and a new
 * set of loaders, so nothing one request loaded is ever served to another.
 */
import { createRequestGrant, type RequestGrant } from './authorization/request-grant.js';
import type { Caller } from './callers/caller.js';
import { readHeader } from './callers/header-source.js';
import type { IdempotencyStore } from './idempotency/idempotency-store.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/query-limits.js';
import { createLoaders, requestProviders, type Loaders, type RequestProviders } from './loaders/index.js';
import type { BatchObserver } from './loaders/observed-batch.js';
import { requestIdFrom } from './observability/request-id.js';
import type { UpstreamCallCount } from './observability/upstream-call-counter.js';
import { resolveRequestTenant, type HeaderSource, type RequestTenant } from './request-tenant.js';
import type { Upstreams } from './upstreams/index.js';

export interface GraphQLContext {
  /** The request id, accepted from `x-request-id` or generated, and forwarded to the vendors. */
  requestId: string;
  tenant: RequestTenant;
  /** What the caller may reach; every argument naming a tenant-scoped object is checked against it. */
  grant: RequestGrant;
  /** What this request may ask and spend: the gateway's limits, with the API key's own over them. */
  limits: QueryLimits;
  upstreams: Upstreams;
  /** The vendor providers of the request's tenant, for what no loader reads (writes, paged lists). */
  providers: RequestProviders;
  loaders: Loaders;
  /** The API key's caller; absent only in-process (tests), where no key is asked for. */
  caller?: Caller;
  /** Upstream calls this request made so far, and the vendors' ids for them (logs and audit). */
  upstreamCalls?: UpstreamCallCount;
  /** What each `clientMutationId` did: one store per process (or shared by replicas). */
  idempotency: IdempotencyStore;
  /** The operation the HTTP layer resolved this request to run (http/resolve-operation.ts); absent in process. */
  operation?: { type: string; operationName: string | null; rootFields: readonly string[] };
}

export interface CreateContextOptions {
  headers: HeaderSource;
  upstreams: Upstreams;
  /** The API key's caller: its grant bounds the tenants. Absent in process: every configured tenant. */
  caller?: Caller;
  /** The request id the HTTP layer already chose (and echoed); default: from `x-request-id` or new. */
  requestId?: string;
  /** Told every DataLoader batch's size (metrics). */
  observeBatch?: BatchObserver;
  /** The process's idempotency store, passed through to resolvers. */
  idempotency: IdempotencyStore;
  /** The gateway's query limits (config); default DEFAULT_QUERY_LIMITS. */
  queryLimits?: QueryLimits;
}

/** Throws `ForbiddenError` for a tenant this gateway does not serve; nothing has gone upstream then. */
export function createContext({ headers, upstreams, caller, observeBatch, idempotency, queryLimits = DEFAULT_QUERY_LIMITS, ...options }: CreateContextOptions): GraphQLContext {
  const requestId = options.requestId ?? requestIdFrom(readHeader(headers, 'x-request-id'));
  const tenant = resolveRequestTenant(headers, upstreams, caller);
  const grant = createRequestGrant(upstreams, tenant, caller);
  const providers = requestProviders(upstreams, tenant, grant);
  const loaders = createLoaders({ providers, tenant, grant, requestId, ...(observeBatch ? { observeBatch } : {}) });
  const limits = caller?.limits === undefined ? queryLimits : { ...queryLimits, ...caller.limits };
  return { requestId, tenant, grant, limits, upstreams, providers, loaders, idempotency, ...(caller ? { caller } : {}) };
}
