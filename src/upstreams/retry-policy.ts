/**
 * When to try a failed attempt again, and after how long: at most 3 attempts,
 * exponential backoff with jitter, `Retry-After` honoured up to 5 s (a longer one fails the call
 * as retryable with `retryAfterMs`), a POST only with an idempotency key, nothing past the
 * call's deadline or once its request has ended. Plugged into got as `retry.calculateDelay`, so got's own retry loop runs it.
 */
import type { RetryObject } from 'got';
import { TRANSIENT_STATUSES } from './classification.js';
import type { AttemptFailure } from './failure-of.js';
import type { CallState } from './upstream-call.js';

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Backoff before retry n is base × 2^(n-1), capped by `backoffLimitMs`, plus up to `noiseMs`. */
  backoffBaseMs: number;
  backoffLimitMs: number;
  /** Jitter; got accepts at most 100. */
  noiseMs: number;
  /** The longest `Retry-After` waited out inside a call. */
  maxRetryAfterMs: number;
}

/**
 * 3 attempts and a 5 s `Retry-After` cap hold for every vendor. The backoff (250 ms, 500 ms, capped
 * at 2 s, plus up to 100 ms jitter, got's maximum) keeps a retried call inside a GraphQL request's patience;
 * vendors that need longer say so per failure (`minDelayMs`: m3ter 429, Zuora 409 in flight).
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 3,
  backoffBaseMs: 250,
  backoffLimitMs: 2000,
  noiseMs: 100,
  maxRetryAfterMs: 5000,
};

/** Methods retried as they are: safe or idempotent by definition. A POST needs a key. */
export const RETRY_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'] as const;

export interface RetryDecisionInput {
  attempt: AttemptFailure;
  state: CallState;
  /** Attempts made so far, the failed one included. */
  attemptCount: number;
  now: number;
  random: () => number;
}

/** Delay before the next attempt in ms, or 0 to give up. */
export function retryDelay(policy: RetryPolicy, input: RetryDecisionInput): number {
  const { attempt, state, attemptCount, now } = input;
  const { failure, retryAfterMs } = attempt;
  // A request that has ended waits for nothing: its call's next attempt would only spend quota.
  if (!failure.retryable || state.deadlineExceeded || state.requestEnded?.aborted === true) return 0;
  if (attemptCount >= Math.min(policy.maxAttempts, failure.maxAttempts ?? Number.POSITIVE_INFINITY)) return 0;
  const methodRetryable = (RETRY_METHODS as readonly string[]).includes(state.method) || (state.method === 'POST' && state.idempotent);
  if (!methodRetryable) return 0;
  let delay: number;
  if (retryAfterMs !== undefined) {
    // Too long to wait inside a request: fail now, retryable, and say when (`retryAfterMs`).
    if (retryAfterMs > policy.maxRetryAfterMs) return 0;
    delay = retryAfterMs;
  } else {
    const backoff = Math.min(policy.backoffBaseMs * 2 ** (attemptCount - 1), policy.backoffLimitMs);
    delay = backoff + input.random() * policy.noiseMs;
  }
  delay = Math.max(delay, failure.minDelayMs === undefined ? 0 : floorDelay(failure.minDelayMs, attemptCount, input.random), 1);
  // A retry that cannot finish before the deadline only burns vendor quota.
  if (now + delay >= state.deadlineAt) return 0;
  return Math.round(delay);
}

/**
 * The wait a vendor asks for (`minDelayMs`: m3ter 429, Zuora 409 in flight), doubling per
 * attempt with a quarter of it as jitter. A flat floor would swallow the backoff's jitter, and
 * callers pushed back in the same second would all come back in the same later second.
 */
export function floorDelay(minDelayMs: number, attemptCount: number, random: () => number): number {
  return minDelayMs * 2 ** Math.max(0, attemptCount - 1) + random() * (minDelayMs / 4);
}

/** got's `retry` option for a policy; `calculateDelay` is filled in by the base. */
export function gotRetryOptions(policy: RetryPolicy, errorCodes: readonly string[], calculateDelay: (retry: RetryObject) => number) {
  return {
    limit: policy.maxAttempts - 1,
    methods: [...RETRY_METHODS, 'POST' as const],
    // Informational: the vendor classifier decides per response (a Zuora HTTP 200 can be transient).
    statusCodes: [...TRANSIENT_STATUSES],
    errorCodes: [...errorCodes],
    backoffLimit: policy.backoffLimitMs,
    noise: policy.noiseMs,
    maxRetryAfter: policy.maxRetryAfterMs,
    calculateDelay,
  };
}
