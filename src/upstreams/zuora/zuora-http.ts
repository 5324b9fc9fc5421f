/**
 * The got instance and token cache behind one Zuora client: one OAuth client's credentials,
 * its own token, its own per-entity limiter. Nothing here is shared with
 * another tenant's client, so no cache can hand one tenant's token or slot to another.
 */
import type { Got } from 'got';
import type { ZuoraTenant } from '../../config.js';
import { UpstreamContractError } from '../../errors.js';
import { isRecord } from '../classification.js';
import { type VendorHealthOptions, createUpstreamHttp, type HttpTimeouts, type UpstreamCallEvent } from '../http.js';
import { readSharing, type ReadSharing, type ReadSharingOptions } from '../read-sharing.js';
import type { RetryPolicy } from '../retry-policy.js';
import { TenantLimiter, type TenantLimits } from '../tenant-limiter.js';
import { ZUORA_SETTINGS } from './settings.js';
import { TokenProvider, type FetchedToken, type TokenFetchEvent } from '../token-provider.js';
import { bearerAuth, type UpstreamAuth } from '../upstream-auth.js';
import { classifyZuora } from './classify.js';
import type { Vendor } from '../vendor.js';
import type { SharedState } from '../../shared-state/shared-state.js';
import type { BeforeUpstreamCall } from '../request-scope.js';

export interface ZuoraHttpOptions extends ReadSharingOptions {
  /** Scheme and host (`INTERLINK_ZUORA_URL`); the client appends `/oauth/token` and `/v1/...`. */
  url: string;
  tenant: ZuoraTenant;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<HttpTimeouts>;
  /** Per acting entity (default: Zuora's settings, 40 in flight, Zuora's own cap). */
  limits?: TenantLimits;
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Asked before each call (a request's vendor-call budget); throwing refuses it. */
  beforeUpstreamCall?: BeforeUpstreamCall | undefined;
  /** Circuit breaker and retry budget (http.ts); on by default. */
  health?: VendorHealthOptions;
  onTokenFetch?: (event: TokenFetchEvent) => void;
  /** Replicas on Redis: the entities' shared budgets and the client's shared token. */
  sharedState?: SharedState | undefined;
  /** For tests: the token cache's clock (default `Date.now`), to reach expiry without waiting. */
  now?: () => number;
  /** For tests: jitter source. */
  random?: () => number;
}

export interface ZuoraHttp {
  got: Got;
  auth: UpstreamAuth;
  /** Identical reads in flight share one call when `shareReads` is on; token fetches never go through it. */
  reads: ReadSharing;
  close(): void;
}

export function createZuoraHttp(options: ZuoraHttpOptions): ZuoraHttp {
  const { tenant } = options;
  const limits = options.limits ?? ZUORA_SETTINGS.limits;
  const base = createUpstreamHttp({
    vendor: 'zuora',
    classify: classifyZuora,
    requestIdHeader: 'Zuora-Track-Id',
    vendorRequestIdHeader: 'Zuora-Request-Id',
    // A 401 means a stale token: refresh once and retry; a second 401 is AUTH.
    refreshAuthOn: [401],
    retry: options.retry,
    timeouts: options.timeouts,
    limiter: new TenantLimiter(limits, options.sharedState?.budgets('zuora', limits)),
    onUpstreamCall: options.onUpstreamCall,
    beforeUpstreamCall: options.beforeUpstreamCall,
    ...(options.health === undefined ? {} : { health: options.health }),
    random: options.random,
  });
  const got = base.got.extend({ prefixUrl: options.url, headers: { accept: 'application/json' } });
  const tokens = new TokenProvider({
    vendor: 'zuora',
    // The tenant label, never the client id or secret: it names the credential in metrics.
    credential: tenant.name,
    fetchToken: () => fetchZuoraToken(got, tenant),
    // Refresh at min(300 s, expires_in / 2) before expiry: TokenProvider's rule.
    ...(options.now === undefined ? {} : { now: options.now }),
    onTokenFetch: options.onTokenFetch,
    // One token per OAuth client across replicas (Zuora limits token calls per tenant and IP).
    shared: options.sharedState?.tokens('zuora', tenant.clientId),
  });
  return { got, auth: bearerAuth(tokens), reads: readSharing('zuora', options), close: base.close };
}

/**
 * `POST /oauth/token` with the credentials in a form body: no Authorization header and
 * no entity header, so the token covers every entity the client may act as and one token serves
 * them all. No tenant key either: the token call is exempt from the per-entity limits. A POST
 * without an idempotency key, so the base does not retry it; the next call asks again.
 */
async function fetchZuoraToken(got: Got, tenant: ZuoraTenant): Promise<FetchedToken> {
  const response = await got.post('oauth/token', {
    form: { client_id: tenant.clientId, client_secret: tenant.clientSecret, grant_type: 'client_credentials' },
    context: { operation: 'fetchToken' },
  });
  const body: unknown = response.body;
  const accessToken = isRecord(body) ? body.access_token : undefined;
  const expiresIn = isRecord(body) ? body.expires_in : undefined;
  if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    // Says which part is wrong, never what arrived: the body may hold a token.
    throw new UpstreamContractError({
      vendor: 'zuora',
      operation: 'fetchToken',
      status: response.statusCode,
      vendorCode: 'MALFORMED_TOKEN_RESPONSE',
      retryable: false,
    });
  }
  // Always the returned lifetime: 3599 s today, 43199 s in the 2017 spec.
  return { accessToken, expiresInSec: expiresIn };
}
