/**
 * Update with optimistic locking. m3ter does not say how it reports a stale
 * `version` (the sandbox answers 400), so after a 400 or 409 the adapter reads the mapping
 * again: a changed version means someone else wrote first (CONFLICT, not retryable: the caller
 * must re-read), an unchanged one means the input itself was refused (BAD_USER_INPUT). A 409 is
 * never retried automatically, although the vendor SDKs do.
 */
import {
  UpstreamConflictError,
  UpstreamNotFoundError,
  UpstreamRejectedError,
  type UpstreamError,
  type UpstreamErrorDetails,
} from '../../errors.js';
import { sameIdentity } from './create-mapping-safely.js';
import type { M3terMapping, M3terMappingUpdate } from './m3ter-types.js';

export interface CheckedUpdateSteps {
  put(): Promise<M3terMapping>;
  get(): Promise<M3terMapping>;
}

export async function updateMappingChecked(request: M3terMappingUpdate, steps: CheckedUpdateSteps): Promise<M3terMapping> {
  try {
    return await steps.put();
  } catch (error) {
    if (!(error instanceof UpstreamRejectedError || error instanceof UpstreamConflictError)) throw error;
    let current: M3terMapping;
    try {
      current = await steps.get();
    } catch (readError) {
      // Deleted in between: say so, under the update's name.
      if (readError instanceof UpstreamNotFoundError) throw new UpstreamNotFoundError({ ...detailsOf(readError, error.operation) });
      throw error;
    }
    // Our own PUT landed, its answer was lost, and the base's retry then met the new version.
    if ((error.attempts ?? 1) > 1 && current.version === request.version + 1 && sameContent(current, request)) return current;
    if (current.version !== request.version) throw new UpstreamConflictError({ ...detailsOf(error, error.operation), retryable: false });
    if (error instanceof UpstreamRejectedError) throw error;
    throw new UpstreamRejectedError({ ...detailsOf(error, error.operation), retryable: false });
  }
}

function sameContent(mapping: M3terMapping, request: M3terMappingUpdate): boolean {
  return sameIdentity(mapping, request) && (mapping.integrationConfigId ?? undefined) === (request.integrationConfigId ?? undefined);
}

function detailsOf(error: UpstreamError, operation: string): UpstreamErrorDetails {
  const { vendor, status, vendorCode, retryable, retryAfterMs, requestId, attempts } = error;
  return { vendor, operation, status, vendorCode, retryable, retryAfterMs, requestId, attempts };
}
