/**
 * What one upstream call carries through got: the caller's part (`UpstreamCallContext`, passed
 * as got's `context` option) and the base's bookkeeping (`CallState`, one object per call,
 * shared by its attempts because got copies `context` shallowly).
 */
import type { Span } from '@opentelemetry/api';
import type { UpstreamFailure } from './classification.js';
import type { UpstreamAuth } from './upstream-auth.js';

/** Per-call options for a vendor client method: `got.get(path, { context: {...} })`. */
export interface UpstreamCallContext {
  /** The client method, e.g. `listEntities`; names the call in errors and events. */
  operation: string;
  /** The gateway request id, sent as `Zuora-Track-Id` / `X-Request-Id`. */
  requestId?: string;
  /** Sent as `Idempotency-Key`; a POST is retried only when it has one. */
  idempotencyKey?: string;
  auth?: UpstreamAuth;
  /** Limiter key: Zuora entity, m3ter org, Rev.io client code. Unlimited when absent (token calls). */
  tenant?: string;
  /**
   * The circuit the call counts toward, when it is not the limiter's tenant: Zuora limits each
   * entity but fails as one instance, so its circuit is per credential (all its entities at once).
   */
  circuit?: string;
  /** Overall budget for the call, retries and waits included; overrides the base default. */
  deadlineMs?: number;
  /** A readiness probe: its retries follow each other closely, so one round answers quickly. */
  probe?: boolean;
}

export interface CallState {
  operation: string;
  method: string;
  idempotent: boolean;
  /** The call's own deadline cut to its request's (request-scope.ts). */
  deadlineAt: number;
  deadlineExceeded: boolean;
  /** Aborted when the request the call serves has ended: no retry is started for it after that. */
  requestEnded: AbortSignal | undefined;
  /**
   * Whether the last attempt the vendor ended (answered, timed out, refused) found it down. An
   * attempt the gateway cut short leaves it as it was: the circuit judges the vendor by it.
   */
  vendorFoundDown: boolean;
  /** Attempts started so far (1 during the first). */
  attempt: number;
  attemptStartedAt: number;
  /** The attempt whose outcome was last reported to `onUpstreamCall`. */
  reportedAttempt: number;
  /** The Authorization value sent on the current attempt, so a 401 invalidates exactly it. */
  authorization: string | undefined;
  authRefreshed: boolean;
  /** The vendor's request id from the last response. */
  requestId: string | undefined;
  /** A readiness probe (`UpstreamCallContext.probe`). */
  probe: boolean;
  /** The gateway request the call serves (its calls are counted by it). */
  gatewayRequestId: string | undefined;
  /** The call's trace span, while tracing is on (src/tracing/upstream-span.ts). */
  span?: Span | undefined;
}

const STATE = 'interlinkCallState';

/** got `Options` or the `NormalizedOptions` hooks receive: all this module reads is `context`. */
interface WithContext {
  context: Record<string, unknown>;
}

export function callContext(options: WithContext): Partial<UpstreamCallContext> {
  return options.context as Partial<UpstreamCallContext>;
}

export function callState(options: WithContext): CallState | undefined {
  return (options.context as Record<string, unknown>)[STATE] as CallState | undefined;
}

export function attachCallState(options: WithContext, state: CallState): void {
  options.context = { ...options.context, [STATE]: state };
}

/**
 * A response the classifier failed: thrown from `afterResponse` so got's retry machinery sees
 * it, then turned into an `UpstreamError` when the call gives up. Internal to the base.
 */
export class ClassifiedFailure extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`classified ${failure.kind} (HTTP ${status})`);
    this.name = 'ClassifiedFailure';
  }
}
