/**
 * What every resolver receives, built fresh for each GraphQL request: its id, the tenant it acts
 * for (from the Interlink-* headers, see request-tenant.ts), the process-wide clients, and a new
 * set of loaders, so nothing one request loaded is ever served to another.
 */
import type { Caller } from './callers/caller.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { BatchObserver } from './loaders/observed-batch.js';
import { requestIdFrom } from './observability/request-id.js';
import type { UpstreamCallCount } from './observability/upstream-call-counter.js';
import { headerValue, resolveRequestTenant, type AllowedTenants, type HeaderSource, type RequestTenant } from './request-tenant.js';
import type { Upstreams } from './upstreams/index.js';

export interface GraphQLContext {
  /** The request id, accepted from `x-request-id` or generated, and forwarded to the vendors. */
  requestId: string;
  tenant: RequestTenant;
  upstreams: Upstreams;
  loaders: Loaders;
  /** The API key's caller; absent only in-process (tests), where no key is asked for. */
  caller?: Caller;
  /** Upstream calls this request made so far, and the vendors' ids for them (logs and audit). */
  upstreamCalls?: UpstreamCallCount;
}

export interface CreateContextOptions {
  headers: HeaderSource;
  upstreams: Upstreams;
  /** Tenants this caller may act for (issue 5's API keys); default every configured one. */
  allowed?: AllowedTenants;
  /** The request id the HTTP layer already chose (and echoed); default: from `x-request-id` or new. */
  requestId?: string;
  /** Told every DataLoader batch's size (metrics). */
  observeBatch?: BatchObserver;
}

/** Throws `ForbiddenError` for a tenant this gateway does not serve; nothing has gone upstream then. */
export function createContext({ headers, upstreams, allowed, observeBatch, ...options }: CreateContextOptions): GraphQLContext {
  const requestId = options.requestId ?? requestIdFrom(headerValue(headers, 'x-request-id'));
  const tenant = resolveRequestTenant(headers, upstreams, allowed);
  return { requestId, tenant, upstreams, loaders: createLoaders({ upstreams, tenant, requestId, ...(observeBatch ? { observeBatch } : {}) }) };
}
