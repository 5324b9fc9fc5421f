/**
 * The gateway's error family. Every failure a client can see is a `GatewayError` with a fixed
 * `code` and a message that is safe to show: no tokens, secrets, auth headers, hosts, URLs or
 * vendor bodies. The upstream layer throws these and never imports `graphql`; `formatError`
 * (the one masking boundary) passes `code` and `message` on and masks everything else.
 */
import type { Vendor } from './upstreams/vendor.js';

/** Public error codes (`extensions.code`). Stable: clients switch on them. */
export type ErrorCode =
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_AUTH_FAILED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'OPERATION_NOT_ALLOWLISTED'
  | 'OPERATION_RESOLUTION_FAILURE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'QUERY_LIMIT_EXCEEDED'
  | 'REQUEST_BUDGET_EXCEEDED'
  | 'REQUEST_TIMEOUT'
  | 'IDEMPOTENCY_STORE_UNAVAILABLE'
  | 'IDEMPOTENCY_RECORD_INVALID'
  | 'INTERNAL_SERVER_ERROR';

export abstract class GatewayError extends Error {
  abstract readonly code: ErrorCode;
  /** Facts a client can act on, sent as `extensions` beside the code (numbers and names only, never input). */
  readonly details: Readonly<Record<string, string | number | boolean | readonly string[]>> | undefined = undefined;
  /**
   * True when the message is for logs only and clients get a generic one: the failure is a bug
   * on our side (e.g. a vendor rejecting our request as malformed), not something they can fix.
   */
  readonly internal: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Subclass name, so logs say `UpstreamTimeoutError`, not `Error`.
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }
}

export interface UpstreamErrorDetails {
  vendor: Vendor;
  /** The client method that failed, e.g. `listEntities`. */
  operation: string;
  /** HTTP status of the last attempt; absent when no response arrived. */
  status?: number;
  /** Vendor error code, e.g. Zuora `50000040`; absent when the vendor sent none. */
  vendorCode?: string;
  /** Whether the same call may succeed later (after `retryAfterMs` when set). */
  retryable: boolean;
  retryAfterMs?: number;
  /** The vendor's id for the last attempt (`Zuora-Request-Id`), for support tickets. */
  requestId?: string;
  /** Attempts made, retries included. */
  attempts?: number;
  /** The caller's inputs a rejection names, in the gateway's names (`input`'s fields, e.g. `internalId`). */
  invalidInputs?: readonly string[];
}

/** A failure at or on the way to a vendor. The subclass says what kind. */
export abstract class UpstreamError extends GatewayError {
  readonly vendor: Vendor;
  readonly operation: string;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number | undefined;

  /** What happened, as a phrase after "<vendor> <operation>:"; fixed per class. */
  static readonly summary: string = 'upstream call failed';

  constructor(details: UpstreamErrorDetails, options?: { cause?: unknown }) {
    super(describe(details, new.target.summary), options);
    this.vendor = details.vendor;
    this.operation = details.operation;
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.attempts = details.attempts;
  }

  /** Fields for logs and `JSON.stringify`; all of them are safe to record. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      vendor: this.vendor,
      operation: this.operation,
      status: this.status,
      vendorCode: this.vendorCode,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      attempts: this.attempts,
    };
  }
}

export class UpstreamUnavailableError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  static override readonly summary = 'upstream unavailable';
}

export class UpstreamTimeoutError extends UpstreamError {
  readonly code = 'UPSTREAM_TIMEOUT';
  static override readonly summary: string = 'upstream did not answer in time';
}

/**
 * The gateway ended the call itself before the vendor gave it an answer that says anything about
 * the vendor: its deadline or its request's passed while it waited for a turn at the vendor's
 * limits (`attempts: 0`, nothing was sent), or while an attempt it sent had not been answered
 * yet and no earlier attempt had found the vendor down. A timeout to the caller, so it keeps
 * that class and code; never an outage to the circuit breaker (see `isOutage`).
 */
export class UpstreamAbandonedError extends UpstreamTimeoutError {
  static override readonly summary = 'upstream call ended by the gateway before an answer, at its deadline or its request\'s';
}

/** A vendor rate limit, concurrency limit or (Rev.io) quota. */
export class UpstreamRateLimitedError extends UpstreamError {
  readonly code = 'UPSTREAM_RATE_LIMITED';
  static override readonly summary = 'upstream rate limit reached';
}

/** The vendor rejected the gateway's own credentials. */
export class UpstreamAuthFailedError extends UpstreamError {
  readonly code = 'UPSTREAM_AUTH_FAILED';
  static override readonly summary = 'upstream rejected the gateway credentials';
}

export class UpstreamForbiddenError extends UpstreamError {
  readonly code = 'FORBIDDEN';
  static override readonly summary = 'upstream denied access';
}

export class UpstreamNotFoundError extends UpstreamError {
  readonly code = 'NOT_FOUND';
  static override readonly summary = 'upstream has no such record';
}

export class UpstreamConflictError extends UpstreamError {
  readonly code = 'CONFLICT';
  static override readonly summary = 'upstream state does not allow this change';
}

/** The vendor found the caller's input invalid; `extensions.invalidInputs` names the inputs when the vendor said which. */
export class UpstreamRejectedError extends UpstreamError {
  readonly code = 'BAD_USER_INPUT';
  static override readonly summary = 'upstream rejected the input';
  override readonly details: Readonly<{ invalidInputs: readonly string[] }> | undefined;

  constructor(details: UpstreamErrorDetails, options?: { cause?: unknown }) {
    super(details, options);
    this.details = details.invalidInputs === undefined ? undefined : { invalidInputs: details.invalidInputs };
  }
}

/**
 * The vendor says our request was malformed (Zuora 422, categories 45 and 90; Rev.io 405), or
 * answered outside the contract (paging that does not advance). A bug on our side: logged at
 * error level, reported to clients as an internal error without detail.
 */
export class UpstreamContractError extends UpstreamError {
  readonly code = 'INTERNAL_SERVER_ERROR';
  override readonly internal = true;
  static override readonly summary = 'upstream contract broken';
}

/** "zuora listEntities: upstream unavailable (HTTP 503, 3 attempts)": built from safe fields only. */
function describe(details: UpstreamErrorDetails, summary: string): string {
  const { status, vendorCode, attempts, retryAfterMs } = details;
  const facts = [
    status === undefined ? 'no response' : `HTTP ${status}`,
    vendorCode === undefined ? undefined : `code ${vendorCode}`,
    attempts === undefined ? undefined : `${attempts} attempt${attempts === 1 ? '' : 's'}`,
    retryAfterMs === undefined ? undefined : `retry after ${Math.ceil(retryAfterMs / 1000)} s`,
  ].filter((fact) => fact !== undefined);
  const naming = details.invalidInputs === undefined ? '' : `, naming ${details.invalidInputs.join(', ')}`;
  return `${details.vendor} ${details.operation}: ${summary}${naming} (${facts.join(', ')})`;
}

/**
 * Startup configuration is invalid. Not a `GatewayError`: it stops the process before any
 * client connects. `issues` holds one line per bad variable.
 */
/** The caller's input cannot be used: a bad argument, cursor or id. Says what was expected. */
export class BadUserInputError extends GatewayError {
  readonly code = 'BAD_USER_INPUT';
}

/** The caller may not do this or act for this tenant; nothing was sent upstream. */
export class ForbiddenError extends GatewayError {
  readonly code = 'FORBIDDEN';
}

/** A caller limited to trusted documents sent an operation that is not one of them, or not by id. */
export class OperationNotAllowlistedError extends GatewayError {
  readonly code = 'OPERATION_NOT_ALLOWLISTED';
}

/** The request does not name exactly one operation to run, or what would run is not what was checked: nothing runs. */
export class OperationResolutionError extends GatewayError {
  readonly code = 'OPERATION_RESOLUTION_FAILURE';
}

/** No valid credentials came with the request. */
export class UnauthenticatedError extends GatewayError {
  readonly code = 'UNAUTHENTICATED';
}

/** A `clientMutationId` already used by this caller, for this tenant and operation, with another input. */
export class IdempotencyKeyReusedError extends GatewayError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/**
 * The first request with this `clientMutationId` is still running and did not finish within the
 * wait. Retryable: the same request later gets the first one's answer.
 */
export class IdempotencyInProgressError extends GatewayError {
  readonly code = 'IDEMPOTENCY_IN_PROGRESS';
  readonly retryable = true;
}

/** A replay's object was deleted after the write this `clientMutationId` names: it is not made again. */
export class ReplayTargetGoneError extends GatewayError {
  readonly code = 'NOT_FOUND';
}

/**
 * A create met an object like it that it cannot prove it made: the object was there before the
 * create's first attempt (src/lib/existed-before.ts). It is not adopted, so it is never reported
 * as this write's nor deleted again by a compensation; the vendor holds one such object, so the
 * create itself changed nothing.
 */
export class ExistedBeforeError extends GatewayError {
  readonly code = 'BAD_USER_INPUT';
}

/**
 * An operation over one of its caller's limits (depth, aliases, root fields, directives, cost),
 * refused before it ran: `extensions.limit` names the limit, `max` and `measured` the numbers.
 */
export class QueryLimitError extends GatewayError {
  readonly code = 'QUERY_LIMIT_EXCEEDED';
  override readonly details: Readonly<Record<string, string | number>>;

  constructor(limit: string, max: number, measured: number, message: string) {
    super(message);
    // A document too large to measure whole has no finite measure: say it is over.
    this.details = { limit, max, measured: Number.isFinite(measured) ? measured : max + 1 };
  }
}

/** A running request reached one of its budgets (vendor calls, answer size); the rest of it fails fast. */
export class RequestBudgetError extends GatewayError {
  readonly code = 'REQUEST_BUDGET_EXCEEDED';
  override readonly details: Readonly<Record<string, string | number>>;

  constructor(limit: string, max: number, message: string) {
    super(message);
    this.details = { limit, max };
  }
}

/** The request's own deadline passed: what was ready went out, this field was not. Retryable. */
export class RequestTimeoutError extends GatewayError {
  readonly code = 'REQUEST_TIMEOUT';
  override readonly details: Readonly<Record<string, number | boolean>>;

  constructor(deadlineMs: number) {
    super(`The request's deadline of ${deadlineMs} ms passed before this field was ready`);
    this.details = { deadlineMs, retryable: true };
  }
}

/**
 * The shared idempotency store (Redis) did not answer, so a write with a `clientMutationId` was
 * not attempted: writing without its record could make a duplicate. Retryable with the same id.
 */
export class IdempotencyStoreUnavailableError extends GatewayError {
  readonly code = 'IDEMPOTENCY_STORE_UNAVAILABLE';
  override readonly details = { retryable: true } as const;
}

/**
 * The stored record of a `clientMutationId` cannot be read back (a garbled file or value): its
 * write is neither repeated nor reported as done. Not retryable: a retry reads the same record.
 */
export class IdempotencyRecordInvalidError extends GatewayError {
  readonly code = 'IDEMPOTENCY_RECORD_INVALID';
  override readonly details = { retryable: false } as const;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
