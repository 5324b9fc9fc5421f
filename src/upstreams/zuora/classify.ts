/**
 * Zuora failure classification, checked in the order below; a 409 on a keyed POST is a replay,
 * and answers that mean our request was wrong are `contract`. Business failures arrive as HTTP
 * 200 with `success:false`, so the body decides as often as the status does.
 */
import {
  classifyUnexpectedStatus,
  isRecord,
  TRANSIENT_STATUSES,
  type UpstreamFailure,
  type UpstreamResponse,
} from '../classification.js';
import { inputNames } from '../input-names.js';

/** Body fields Zuora validates, as the gateway's inputs call them. */
const INPUT_NAMES: Readonly<Record<string, string>> = { targetEntityId: 'targetEntityId' };

export function classifyZuora(response: UpstreamResponse): UpstreamFailure | undefined {
  const { status, body, method } = response;
  // A 401 reaching here has already had its one token refresh (http.ts).
  if (status === 401) return { kind: 'auth-failed', retryable: false };
  if (status === 409 && method === 'POST') return classifyReplay(body);
  // 422: an idempotency key reused on another method, path or body — our bug.
  if (status === 422) return { kind: 'contract', retryable: false, vendorCode: firstCode(body) };
  if (status === 429) return { kind: 'rate-limited', retryable: true, vendorCode: firstCode(body) };
  if (TRANSIENT_STATUSES.includes(status)) return { kind: 'unavailable', retryable: true };
  if (status >= 200 && status < 300) return hasFailed(body) ? classifyReasons(body) : undefined;
  // Other 4xx: the envelope when there is one (a legacy-header clash is HTTP 400 + category 20).
  if (hasFailed(body)) return { ...classifyReasons(body), retryable: false, maxAttempts: 1 };
  if (status === 400) return { kind: 'rejected', retryable: false };
  if (status === 403) return { kind: 'forbidden', retryable: false };
  if (status === 404) return { kind: 'not-found', retryable: false };
  return classifyUnexpectedStatus(status);
}

/** A 409 on a keyed POST replays the first result, or says the first is still running. */
function classifyReplay(body: unknown): UpstreamFailure | undefined {
  if (isRecord(body) && body.success === true) return undefined;
  const categories = reasonCodes(body).map((code) => code % 100);
  if (!isRecord(body) || categories.length === 0 || categories.every((category) => category === 50)) {
    return { kind: 'unavailable', retryable: true, minDelayMs: 1000, vendorCode: firstCode(body) };
  }
  return { ...classifyReasons(body), retryable: false, maxAttempts: 1 };
}

/** A `success:false` answer, by category (`code % 100`); one final reason makes it all final. */
function classifyReasons(body: unknown): UpstreamFailure {
  const codes = reasonCodes(body);
  const final = codes.find((code) => !RETRYABLE_CATEGORIES.has(code % 100));
  if (final !== undefined) {
    const kind = finalKind(final % 100);
    return { ...kind, retryable: false, vendorCode: String(final), ...(kind.kind === 'rejected' ? blamedInputs(body) : {}) };
  }
  const first = codes[0];
  if (first === undefined) return { kind: 'unavailable', retryable: false };
  const vendorCode = String(first);
  // 70: over a rate or concurrency limit; wait for Retry-After when sent.
  if (codes.some((code) => code % 100 === 70)) return { kind: 'rate-limited', retryable: true, vendorCode };
  // 60 (internal error) and 99 (integration error) get one retry; 50 and 61 the full budget.
  const once = codes.some((code) => code % 100 === 60 || code % 100 === 99);
  return { kind: 'unavailable', retryable: true, vendorCode, ...(once ? { maxAttempts: 2 } : {}) };
}

const RETRYABLE_CATEGORIES = new Set([50, 60, 61, 70, 99]);

function finalKind(category: number): Pick<UpstreamFailure, 'kind'> {
  if (category === 10) return { kind: 'forbidden' };
  if (category === 11) return { kind: 'auth-failed' };
  if (category >= 20 && category <= 29) return { kind: 'rejected' };
  if (category === 30) return { kind: 'conflict' };
  if (category === 40) return { kind: 'not-found' };
  // 45 unsupported request, 90 malformed request, and categories Zuora has not documented.
  return { kind: 'contract' };
}

function hasFailed(body: unknown): boolean {
  return isRecord(body) && body.success === false;
}

/** Some older models type `code` as a string, so every code goes through `Number()`. */
function reasonCodes(body: unknown): number[] {
  if (!isRecord(body) || !Array.isArray(body.reasons)) return [];
  return body.reasons
    .map((reason: unknown) => (isRecord(reason) ? Number(reason.code) : Number.NaN))
    .filter((code) => Number.isInteger(code));
}

function firstCode(body: unknown): string | undefined {
  const first = reasonCodes(body)[0];
  return first === undefined ? undefined : String(first);
}

/**
 * A validation reason (category 2x) names the field in its message ("targetEntityId must be at
 * most 32 characters", "missing required field(s): targetEntityId"); the known field names found
 * there as whole words are the culprits. Nothing else of the message is kept.
 */
function blamedInputs(body: unknown): Pick<UpstreamFailure, 'invalidInputs'> {
  if (!isRecord(body) || !Array.isArray(body.reasons)) return {};
  const words = body.reasons.flatMap((reason: unknown) => (isRecord(reason) && typeof reason.message === 'string' ? reason.message.split(/[^A-Za-z0-9]+/) : []));
  const invalidInputs = inputNames(words, INPUT_NAMES);
  return invalidInputs === undefined ? {} : { invalidInputs };
}
