/**
 * Whether a failed write may have been applied by an earlier attempt of the same call: the call
 * was retried (a transport failure, timeout or 5xx before), and the last answer is the one a
 * repeat of an applied write gets: a retried connection transition answered with category 30
 * (state rule) is re-read before it is reported.
 */
import { UpstreamConflictError } from '../../errors.js';

/** A retried call that ended in category 30 (state rule): the state may already be the target. */
export function isRetriedConflict(error: unknown): error is UpstreamConflictError {
  return error instanceof UpstreamConflictError && (error.attempts ?? 1) > 1 && categoryOf(error.vendorCode) === 30;
}

function categoryOf(vendorCode: string | undefined): number | undefined {
  const code = Number(vendorCode);
  return vendorCode === undefined || !Number.isInteger(code) ? undefined : code % 100;
}
