/**
 * Rev.io failure classification. Two body shapes: the application's
 * `{ok:false, message}` and Azure APIM's `{statusCode, message}` (bad key, rate, quota).
 */
import { classifyUnexpectedStatus, isRecord, type UpstreamFailure, type UpstreamResponse } from '../classification.js';
import { inputNames } from '../input-names.js';

/**
 * Key-link fields (and their `search.` filters) as the gateway's inputs call them: a 400 listing
 * `internal_id` (say, no such customer) tells the caller to fix `internalId`.
 */
const INPUT_NAMES: Readonly<Record<string, string>> = {
  internal_id: 'internalId',
  external_id: 'externalId',
  integration_system_id: 'externalSystem',
  integration_entity_type_id: 'internalType',
};

export function classifyRevio(response: UpstreamResponse): UpstreamFailure | undefined {
  const { status, body, method, attempt } = response;
  if (status >= 200 && status < 300) return undefined;
  // Static credentials: a refresh cannot help.
  if (status === 401) return { kind: 'auth-failed', retryable: false };
  // The daily quota: retryable after Retry-After, which is hours away, so never within the call.
  if (status === 403 && isApimBody(body)) return { kind: 'rate-limited', retryable: true, maxAttempts: 1, vendorCode: 'QUOTA_EXHAUSTED' };
  if (status === 403) return { kind: 'forbidden', retryable: false };
  if (status === 400) return { kind: 'rejected', retryable: false, ...blamedInputs(body) };
  // A retried DELETE whose first attempt went through.
  if (status === 404 && method === 'DELETE' && attempt > 1) return undefined;
  if (status === 404) return { kind: 'not-found', retryable: false };
  // We only send methods Rev.io lists, so a 405 is our bug.
  if (status === 405) return { kind: 'contract', retryable: false };
  if (status === 429) return { kind: 'rate-limited', retryable: true };
  return classifyUnexpectedStatus(status);
}

function isApimBody(body: unknown): boolean {
  return isRecord(body) && typeof body.statusCode === 'number' && !('ok' in body);
}

/** The application body's `errors[].field`, `search.` prefix dropped; only the names, never the messages. */
function blamedInputs(body: unknown): Pick<UpstreamFailure, 'invalidInputs'> {
  if (!isRecord(body) || !Array.isArray(body.errors)) return {};
  const fields = body.errors.flatMap((error: unknown) => (isRecord(error) && typeof error.field === 'string' ? [error.field.replace(/^search\./, '')] : []));
  const invalidInputs = inputNames(fields, INPUT_NAMES);
  return invalidInputs === undefined ? {} : { invalidInputs };
}
