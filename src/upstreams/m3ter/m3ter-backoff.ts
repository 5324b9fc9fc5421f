/**
 * m3ter's 429 carries no `Retry-After` (CONTRACTS §2.5), so the adapter backs off from 1 s with
 * jitter. The classifier's fixed `minDelayMs: 1000` already gives the 1 s, but the base applies
 * it as a floor over its 250 ms × 2^n backoff: every retry then waits exactly 1 s, jitter
 * swallowed, so callers limited in the same second all come back in the same later second.
 * This wrapper makes the floor itself grow (1 s, 2 s, …) and jittered. A `Retry-After`, when
 * m3ter sends one, is still honoured (the wait is the larger of the two).
 */
import type { Classifier } from '../classification.js';

export const RATE_LIMIT_BACKOFF_MS = 1000;
/** Spread of retries after a 429: a quarter of the base wait. */
export const RATE_LIMIT_JITTER_MS = 250;

export function withM3terRateLimitBackoff(classify: Classifier, random: () => number = Math.random): Classifier {
  return (response) => {
    const failure = classify(response);
    if (failure?.kind !== 'rate-limited') return failure;
    const backoff = RATE_LIMIT_BACKOFF_MS * 2 ** Math.max(0, response.attempt - 1);
    return { ...failure, minDelayMs: Math.round(backoff + random() * RATE_LIMIT_JITTER_MS) };
  };
}
