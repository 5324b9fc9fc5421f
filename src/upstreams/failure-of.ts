/**
 * What went wrong with one attempt, whatever got threw: a response the classifier failed, a
 * timeout, or a transport error. The retry decision and the final error both read this, so they
 * cannot disagree.
 */
import { RequestError } from 'got';
import { UpstreamError } from '../errors.js';
import type { UpstreamFailure } from './classification.js';
import { callState, ClassifiedFailure } from './upstream-call.js';

export interface AttemptFailure {
  failure: UpstreamFailure;
  status?: number;
  retryAfterMs?: number;
  /** Set when a nested upstream call already failed (the token call inside `beforeRequest`). */
  upstreamError?: UpstreamError;
}

export function failureOf(error: unknown, retryErrorCodes: readonly string[]): AttemptFailure {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof ClassifiedFailure) {
    return { failure: cause.failure, status: cause.status, retryAfterMs: cause.retryAfterMs };
  }
  // The nested call made its own retries; retrying the outer one would multiply them.
  if (cause instanceof UpstreamError) return { failure: { kind: 'unavailable', retryable: false }, upstreamError: cause };
  if (!(error instanceof RequestError)) return { failure: { kind: 'unavailable', retryable: false } };
  const state = error.options === undefined ? undefined : callState(error.options);
  // Past the call's deadline nothing is retried, but the caller may try again later.
  if (state?.deadlineExceeded === true) return { failure: { kind: 'timeout', retryable: true, maxAttempts: 1 } };
  // Cancelled by the caller (`promise.cancel()`, its own `signal`): nobody is waiting.
  if (error.code === 'ERR_CANCELED' || error.code === 'ERR_ABORTED') return { failure: { kind: 'unavailable', retryable: false } };
  // got's per-attempt `timeout.request` (and AbortSignal.timeout reasons) surface as ETIMEDOUT.
  if (error.name === 'TimeoutError' || error.code === 'ETIMEDOUT') {
    return { failure: { kind: 'timeout', retryable: true } };
  }
  return { failure: { kind: 'unavailable', retryable: retryErrorCodes.includes(error.code) } };
}
