/**
 * The shared got base (http.ts) set up for one m3ter org: m3ter's classifier, its client
 * credentials token (refreshed on 401 and 403, since m3ter answers an expired bearer with 403),
 * the org's limiter, and `send`, which the client's calls go through (identical reads in flight
 * sharing one call when `shareReads` is on: read-sharing.ts).
 */
import type { M3terTenant } from '../../config.js';
import { createUpstreamHttp, DEFAULT_TIMEOUTS, type HttpTimeouts, type UpstreamCallEvent, type VendorHealthOptions } from '../http.js';
import { readKey, readSharing, type ReadSharingOptions } from '../read-sharing.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry-policy.js';
import { TenantLimiter, type TenantLimits } from '../tenant-limiter.js';
import { M3TER_SETTINGS } from './settings.js';
import type { TokenFetchEvent } from '../token-provider.js';
import { bearerAuth } from '../upstream-auth.js';
import type { Vendor } from '../vendor.js';
import type { SharedState } from '../../shared-state/shared-state.js';
import { classifyM3ter } from './classify.js';
import { createM3terTokenProvider } from './m3ter-token-provider.js';
import type { BeforeUpstreamCall } from '../request-scope.js';

export interface M3terHttpOptions extends ReadSharingOptions {
  /** `INTERLINK_M3TER_URL`: scheme and host. */
  url: string;
  tenant: Readonly<M3terTenant>;
  retry?: Readonly<Partial<RetryPolicy>>;
  timeouts?: Readonly<Partial<HttpTimeouts>>;
  /** This org's client-side limit (default about 40 calls a second; m3ter allows 50). */
  limits?: Readonly<TenantLimits>;
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Asked before each call (a request's vendor-call budget); throwing refuses it. */
  beforeUpstreamCall?: BeforeUpstreamCall | undefined;
  /** Circuit breaker and retry budget (http.ts); on by default. */
  health?: VendorHealthOptions;
  onTokenFetch?: (event: TokenFetchEvent) => void;
  /** Replicas on Redis: the org's shared budget (m3ter's 50/s is per org), token and system names. */
  sharedState?: SharedState | undefined;
  /** For tests: the token cache's clock (default `Date.now`). */
  now?: () => number;
  /** For tests: the jitter source (default `Math.random`). */
  random?: () => number;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SendOptions {
  requestId?: string | undefined;
  searchParams?: URLSearchParams;
  json?: unknown;
  /** What is left of the caller's budget, for a step of a longer operation. */
  deadlineMs?: number;
  /** A readiness probe: reaches m3ter itself now (never a read another call started), retrying at short intervals. */
  probe?: boolean;
}

export interface M3terHttp {
  /** One call, retried and classified by the base; answers the parsed body. */
  send(method: Method, path: string, operation: string, options: SendOptions): Promise<unknown>;
  policy: RetryPolicy;
  timeouts: HttpTimeouts;
  random: () => number;
  close(): void;
}

export function createM3terHttp(options: M3terHttpOptions): M3terHttp {
  const { tenant } = options;
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeouts: HttpTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const limits = options.limits ?? M3TER_SETTINGS.limits;
  const base = createUpstreamHttp({
    vendor: 'm3ter',
    classify: classifyM3ter,
    requestIdHeader: 'X-Request-Id',
    refreshAuthOn: [401, 403],
    retry: policy,
    timeouts,
    limiter: new TenantLimiter(limits, options.sharedState?.budgets('m3ter', limits)),
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
    shared: options.sharedState?.tokens('m3ter', tenant.accessKeyId),
    now: options.now,
  });
  const auth = bearerAuth(tokens);
  // The org's token and limiter key, merged once rather than into every call's options. The org
  // id names the limiter's tenant: one org's burst never spends another's budget.
  const orgApi = api.extend({ context: { auth, tenant: tenant.orgId } });
  // The org is in every path, and this client is the org's alone: the path and query are the key.
  const reads = readSharing('m3ter', options);
  return {
    async send(method, path, operation, { requestId, searchParams, json, deadlineMs, probe }) {
      const once = async (): Promise<unknown> => {
        const response = await orgApi(path, {
          method,
          ...(searchParams === undefined ? {} : { searchParams }),
          ...(json === undefined ? {} : { json }),
          context: { operation, requestId, deadlineMs, ...(probe === true ? { probe } : {}) },
        });
        return response.body as unknown;
      };
      if (method !== 'GET') return reads.write(once);
      if (probe === true) return once();
      return reads.read(readKey(path, searchParams), { operation, requestId }, once);
    },
    policy,
    timeouts,
    random,
    close: () => base.close(),
  };
}
