/**
 * The wait before a retry this adapter runs itself (the token call and a create's re-POST, the
 * two POSTs the shared base will not retry), on the same terms as the base: exponential backoff
 * with jitter, from 1 s with jitter after a 429, a `Retry-After` honoured up to the policy's
 * cap. `undefined` means do not wait in the request: the caller should fail with the error.
 */
import type { UpstreamError } from '../../errors.js';
import { floorDelay, type RetryPolicy } from '../retry-policy.js';
import { M3TER_RATE_LIMIT_WAIT_MS } from './classify.js';

export function retryWaitMs(policy: RetryPolicy, failedAttempt: number, error: UpstreamError, random: () => number): number | undefined {
  const { retryAfterMs } = error;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return undefined;
  const exponent = Math.max(0, failedAttempt - 1);
  const wait =
    error.code === 'UPSTREAM_RATE_LIMITED'
      ? floorDelay(M3TER_RATE_LIMIT_WAIT_MS, failedAttempt, random)
      : Math.min(policy.backoffBaseMs * 2 ** exponent, policy.backoffLimitMs) + random() * policy.noiseMs;
  return Math.round(Math.max(wait, retryAfterMs ?? 0));
}
