import {
  UpstreamAuthFailedError,
  UpstreamConflictError,
  UpstreamContractError,
  UpstreamForbiddenError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamRejectedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type UpstreamError,
  type UpstreamErrorDetails,
} from '../errors.js';
import type { FailureKind } from './classification.js';

type UpstreamErrorClass = new (details: UpstreamErrorDetails, options?: { cause?: unknown }) => UpstreamError;

// A `Record` over the union, so a new kind fails to compile until it has a class.
const CLASS_BY_KIND: Record<FailureKind, UpstreamErrorClass> = {
  unavailable: UpstreamUnavailableError,
  timeout: UpstreamTimeoutError,
  'rate-limited': UpstreamRateLimitedError,
  'auth-failed': UpstreamAuthFailedError,
  forbidden: UpstreamForbiddenError,
  'not-found': UpstreamNotFoundError,
  conflict: UpstreamConflictError,
  rejected: UpstreamRejectedError,
  contract: UpstreamContractError,
};

/** The error class for a classified failure. */
export function createUpstreamError(kind: FailureKind, details: UpstreamErrorDetails, cause?: unknown): UpstreamError {
  return new CLASS_BY_KIND[kind](details, cause === undefined ? undefined : { cause });
}
