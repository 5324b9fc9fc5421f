/**
 * What every resolver receives, built fresh for each GraphQL request: its id, the tenant it acts
 * for (from the Interlink-* headers, see request-tenant.ts), the process-wide clients, and a new
 * set of loaders, so nothing one request loaded is ever served to another.
 */
import { randomUUID } from 'node:crypto';
import { createLoaders, type Loaders } from './loaders/index.js';
import { headerValue, resolveRequestTenant, type AllowedTenants, type HeaderSource, type RequestTenant } from './request-tenant.js';
import type { Upstreams } from './upstreams/index.js';

export interface GraphQLContext {
  /** The request id, accepted from `x-request-id` or generated, and forwarded to the vendors. */
  requestId: string;
  tenant: RequestTenant;
  upstreams: Upstreams;
  loaders: Loaders;
}

export interface CreateContextOptions {
  headers: HeaderSource;
  upstreams: Upstreams;
  /** Tenants this caller may act for (issue 5's API keys); default every configured one. */
  allowed?: AllowedTenants;
}

/** A caller's request id is kept when it is short and plain (it reaches vendor headers); otherwise a new one. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Throws `ForbiddenError` for a tenant this gateway does not serve; nothing has gone upstream then. */
export function createContext({ headers, upstreams, allowed }: CreateContextOptions): GraphQLContext {
  const given = headerValue(headers, 'x-request-id');
  const requestId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
  const tenant = resolveRequestTenant(headers, upstreams, allowed);
  return { requestId, tenant, upstreams, loaders: createLoaders({ upstreams, tenant, requestId }) };
}
