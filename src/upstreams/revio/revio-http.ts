/**
 * The got instance behind one Rev.io client: the shared base with Rev.io's classifier, the
 * tenant's subscription key on every request, and its Basic credentials as the per-call `auth`.
 * One per client code: Rev.io has no tokens, and each client tenant has its own
 * key, login and rate budget, so nothing here is shared with another tenant.
 */
import type { Got } from 'got';
import type { RevioTenant } from '../../config.js';
import { type VendorHealthOptions, createUpstreamHttp, type HttpTimeouts, type UpstreamCallEvent } from '../http.js';
import { readSharing, type ReadSharing, type ReadSharingOptions } from '../read-sharing.js';
import type { RetryPolicy } from '../retry-policy.js';
import { TenantLimiter, type TenantLimits } from '../tenant-limiter.js';
import { REVIO_SETTINGS } from './settings.js';
import { basicAuth, type UpstreamAuth } from '../upstream-auth.js';
import type { UpstreamCallContext } from '../upstream-call.js';
import { classifyRevio } from './classify.js';
import type { Vendor } from '../vendor.js';
import type { SharedState } from '../../shared-state/shared-state.js';
import type { BeforeUpstreamCall } from '../request-scope.js';

export interface RevioHttpOptions extends ReadSharingOptions {
  /** Scheme and host (`INTERLINK_REVIO_URL`); the client appends `/v1/...`. */
  url: string;
  tenant: Readonly<RevioTenant>;
  retry?: Readonly<Partial<RetryPolicy>>;
  timeouts?: Readonly<Partial<HttpTimeouts>>;
  /** Per subscription key (default: Rev.io's settings, about 8 calls per second). */
  limits?: Readonly<TenantLimits>;
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Asked before each call (a request's vendor-call budget); throwing refuses it. */
  beforeUpstreamCall?: BeforeUpstreamCall | undefined;
  /** Circuit breaker and retry budget (http.ts); on by default. */
  health?: VendorHealthOptions;
  /** Replicas on Redis: the key's shared budget (Rev.io's 500/min is per key) and catalog. */
  sharedState?: SharedState | undefined;
  /** For tests: jitter source. */
  random?: () => number;
}

export interface RevioHttp {
  got: Got;
  /** The per-call context every request of this tenant carries, minus the operation. */
  context(operation: string, call?: { requestId?: string; deadlineMs?: number; probe?: boolean }): UpstreamCallContext;
  /**
   * Identical reads in flight share one call when `shareReads` is on; every write goes through
   * `write`. The client code is fixed per client, so the path and query are the key.
   */
  reads: ReadSharing;
  close(): void;
}

export const SUBSCRIPTION_KEY_HEADER = 'Ocp-Apim-Subscription-Key';

export function createRevioHttp(options: RevioHttpOptions): RevioHttp {
  const { tenant } = options;
  const limits = options.limits ?? REVIO_SETTINGS.limits;
  const base = createUpstreamHttp({
    vendor: 'revio',
    classify: classifyRevio,
    requestIdHeader: 'X-Request-Id',
    // Static credentials: a 401 is final, so no refresh statuses.
    retry: options.retry,
    timeouts: options.timeouts,
    limiter: new TenantLimiter(limits, options.sharedState?.budgets('revio', limits)),
    onUpstreamCall: options.onUpstreamCall,
    beforeUpstreamCall: options.beforeUpstreamCall,
    ...(options.health === undefined ? {} : { health: options.health }),
    random: options.random,
  });
  // The client code goes in the Basic user name and selects the tenant's database.
  const auth: UpstreamAuth = basicAuth(`${tenant.login}@${tenant.clientCode}`, tenant.password);
  // Everything the tenant's calls share is merged once here, not into each call's options.
  const got = base.got.extend({
    prefixUrl: options.url,
    headers: { [SUBSCRIPTION_KEY_HEADER]: tenant.subscriptionKey, accept: 'application/json' },
    // The limiter counts per subscription key; one key per client code, so the code names it.
    context: { auth, tenant: tenant.clientCode },
  });
  return {
    got,
    context: (operation, call = {}) => ({
      operation,
      ...(call.requestId === undefined ? {} : { requestId: call.requestId }),
      ...(call.deadlineMs === undefined ? {} : { deadlineMs: call.deadlineMs }),
      ...(call.probe === true ? { probe: true } : {}),
    }),
    reads: readSharing('revio', options),
    close: base.close,
  };
}
