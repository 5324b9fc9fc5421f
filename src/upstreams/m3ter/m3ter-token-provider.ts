/**
 * The bearer token of one m3ter service user: `POST /oauth/token` with the
 * access key in Basic auth and a JSON body, as the vendor SDK sends it. The shared
 * `TokenProvider` caches it, fetches it single-flight and refreshes it when less than
 * min(300 s, half its lifetime) remains; m3ter's tokens last 5 hours, so that is 300 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Got } from 'got';
import { UpstreamAuthFailedError, UpstreamError, UpstreamForbiddenError, type UpstreamErrorDetails } from '../../errors.js';
import type { RetryPolicy } from '../retry-policy.js';
import { TokenProvider, type SharedTokenSlot, type TokenFetchEvent } from '../token-provider.js';
import { basicAuth } from '../upstream-auth.js';
import { tokenBody } from './m3ter-bodies.js';
import { M3TER_TOKEN_PATH } from './m3ter-paths.js';
import { retryWaitMs } from './retry-wait.js';

const OPERATION = 'fetchToken';

export interface M3terTokenOptions {
  api: Got;
  /** Not secret: names the credential in token events. */
  credential: string;
  accessKeyId: string;
  apiSecret: string;
  policy: RetryPolicy;
  random: () => number;
  onTokenFetch?: (event: TokenFetchEvent) => void;
  /** The replicas' common slot for this service user's token. */
  shared?: SharedTokenSlot | undefined;
  now?: () => number;
}

export function createM3terTokenProvider(options: M3terTokenOptions): TokenProvider {
  const { api, policy, random } = options;
  const auth = basicAuth(options.accessKeyId, options.apiSecret);

  const fetchOnce = async () => {
    // No tenant in the context: the token call is outside the org's rate limit, at m3ter and here.
    const response = await api.post(M3TER_TOKEN_PATH, { json: { grant_type: 'client_credentials' }, context: { operation: OPERATION, auth } });
    const body = tokenBody(response.body, OPERATION);
    return { accessToken: body.access_token, expiresInSec: body.expires_in };
  };

  // Asking for a token twice has no effect beyond a second token, so unlike other POSTs this
  // one is retried: every call of the org waits on it, and one 503 would fail them all.
  const fetchToken = async () => {
    let made = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fetchOnce();
      } catch (error) {
        const refused = asAuthFailure(error);
        if (refused !== undefined) throw refused;
        if (!(error instanceof UpstreamError)) throw error;
        made += error.attempts ?? 1;
        const wait = error.retryable && attempt < policy.maxAttempts ? retryWaitMs(policy, attempt, error, random) : undefined;
        if (wait === undefined) throw withAttempts(error, made);
        await sleep(wait);
      }
    }
  };

  return new TokenProvider({
    vendor: 'm3ter',
    credential: options.credential,
    fetchToken,
    onTokenFetch: options.onTokenFetch,
    shared: options.shared,
    now: options.now,
  });
}

/**
 * The token call answers bad credentials with 401 (and possibly 403), which the m3ter
 * classifier reads as FORBIDDEN, right for data calls. Here it means the gateway's own service
 * user was refused: UPSTREAM_AUTH_FAILED, so operators look at the credentials, not at grants.
 */
function asAuthFailure(error: unknown): UpstreamAuthFailedError | undefined {
  if (!(error instanceof UpstreamForbiddenError)) return undefined;
  const { vendor, operation, status, requestId, attempts } = error;
  return new UpstreamAuthFailedError({ vendor, operation, status, requestId, attempts, retryable: false });
}

/** The same failure, counting every token attempt made, so the error tells how hard we tried. */
function withAttempts(error: UpstreamError, attempts: number): UpstreamError {
  if (error.attempts === attempts) return error;
  const { vendor, operation, status, vendorCode, retryable, retryAfterMs, requestId } = error;
  const Class = error.constructor as new (details: UpstreamErrorDetails, options?: { cause?: unknown }) => UpstreamError;
  return new Class({ vendor, operation, status, vendorCode, retryable, retryAfterMs, requestId, attempts }, { cause: error.cause });
}
