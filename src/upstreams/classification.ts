/**
 * The contract between the shared HTTP base and each vendor's classifier: a response goes in, a
 * verdict comes out. Classifiers are pure functions (`<vendor>/classify.ts`), so each vendor's
 * failure table is tested without a server.
 */

/** What a vendor failure means to the gateway; each kind maps to one `UpstreamError` class. */
export type FailureKind =
  | 'unavailable'
  | 'timeout'
  | 'rate-limited'
  | 'auth-failed'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rejected'
  | 'contract';

export interface UpstreamFailure {
  kind: FailureKind;
  /** Worth trying again: within this call if the method allows it, else later by the caller. */
  retryable: boolean;
  vendorCode?: string;
  /** Attempts this failure allows in one call, below the configured maximum (Zuora 60/99: 2; Rev.io quota: 1). */
  maxAttempts?: number;
  /** Smallest wait before the next attempt (Zuora 409 in progress: 1 s; m3ter 429: 1 s). */
  minDelayMs?: number;
  /** A rejection's culprits: the caller's inputs the vendor named, in the gateway's names (input-names.ts). */
  invalidInputs?: readonly string[];
}

/** One response as a classifier sees it. */
export interface UpstreamResponse {
  status: number;
  /** Lower-case names, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON; the raw text when it is not JSON; `''` when empty. */
  body: unknown;
  /** Upper case. */
  method: string;
  /** 1 for the first attempt of a call. */
  attempt: number;
}

/** `undefined` means success, including vendor quirks that mean success (Zuora 409 replay of a success). */
export type Classifier = (response: UpstreamResponse) => UpstreamFailure | undefined;

/** The statuses every vendor treats as transient. */
export const TRANSIENT_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

/** Status-only fallback for shapes a vendor table does not name: 5xx transient, anything else our bug. */
export function classifyUnexpectedStatus(status: number): UpstreamFailure {
  if (status >= 500) return { kind: 'unavailable', retryable: TRANSIENT_STATUSES.includes(status) };
  return { kind: 'contract', retryable: false };
}

export { isRecord } from '../lib/is-record.js';
