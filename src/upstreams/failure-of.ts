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
  /**
   * Whether the vendor ended the attempt: its answer, its silence past the attempt's timeout, or
   * a connection it refused or broke. False when the gateway ended it (the call's deadline, a
   * cancel), and for a nested call's failure, which that call judged itself. Only these
   * attempts say anything about the vendor's health.
   */
  byVendor: boolean;
  status?: number;
  retryAfterMs?: number;
  /** Set when a nested upstream call already failed (the token call inside `beforeRequest`). */
  upstreamError?: UpstreamError;
}

export function failureOf(error: unknown, retryErrorCodes: readonly string[]): AttemptFailure {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof ClassifiedFailure) {
    return { failure: cause.failure, status: cause.status, retryAfterMs: cause.retryAfterMs, byVendor: true };
  }
  // The nested call made its own retries; retrying the outer one would multiply them.
  if (cause instanceof UpstreamError) return { failure: { kind: 'unavailable', retryable: false }, upstreamError: cause, byVendor: false };
  if (isBareTransportError(error)) return { failure: { kind: 'unavailable', retryable: true }, byVendor: true };
  if (!(error instanceof RequestError)) return { failure: { kind: 'unavailable', retryable: false }, byVendor: false };
  const state = error.options === undefined ? undefined : callState(error.options);
  // Past the call's deadline nothing is retried, but the caller may try again later.
  if (state?.deadlineExceeded === true) return { failure: { kind: 'timeout', retryable: true, maxAttempts: 1 }, byVendor: false };
  // Cancelled by the caller (`promise.cancel()`, its own `signal`): nobody is waiting.
  if (error.code === 'ERR_CANCELED' || error.code === 'ERR_ABORTED') return { failure: { kind: 'unavailable', retryable: false }, byVendor: false };
  // got's per-attempt `timeout.request` (and AbortSignal.timeout reasons) surface as ETIMEDOUT.
  if (error.name === 'TimeoutError' || error.code === 'ETIMEDOUT') {
    return { failure: { kind: 'timeout', retryable: true }, byVendor: true };
  }
  return { failure: { kind: 'unavailable', retryable: retryErrorCodes.includes(error.code) }, byVendor: true };
}

/**
 * Node's own connection errors. got wraps a socket's error in a RequestError, except one the
 * socket emits after got let go of the request: on Node 24 a retry's connection refused can reach
 * the call as a bare `ERR_SOCKET_CLOSED_BEFORE_CONNECTION`. It is still the vendor's connection
 * failing, not a bug of ours.
 */
const TRANSPORT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN', 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION', 'ERR_STREAM_PREMATURE_CLOSE']);

export function isBareTransportError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && !(error instanceof RequestError) && TRANSPORT_CODES.has((error as { code?: unknown }).code as string);
}

/** An attempt that found the vendor down: it ended the attempt itself, as an outage does. */
export function foundVendorDown(attempt: AttemptFailure): boolean {
  return attempt.byVendor && (attempt.failure.kind === 'unavailable' || attempt.failure.kind === 'timeout');
}
