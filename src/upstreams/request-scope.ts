/**
 * What the gateway request a vendor call serves tells the call: who asked, until when, and when
 * it is over. The hook that admits each call (`beforeUpstreamCall`, the request's vendor-call
 * budget) hands it back, so a call learns its request's limits the same way it learns its
 * budget, by request id, with no second lookup. A call's own deadline is then cut to the
 * request's: it never waits in a limiter queue, nor sends an attempt, nor retries, for a request
 * that can no longer use it; and it waits in its caller's line (fair-queue.ts).
 */
export interface RequestScope {
  /** Who the request came as (an API key's id, `jwt:<subject>`): limiter turns go round callers first. */
  caller?: string | undefined;
  /** Epoch ms past which the request no longer waits for its vendor calls; absent when it has no deadline (mutations). */
  deadlineAt?: number | undefined;
  /**
   * The request's whole deadline in ms. A call its request's deadline cuts short fails as the
   * request's field does at that moment, with REQUEST_TIMEOUT naming it, whichever of the two
   * the clock fires first.
   */
  deadlineMs?: number | undefined;
  /** Aborted once the request has ended (answered, failed or cut off): its calls still queued leave unsent. */
  ended?: AbortSignal | undefined;
}

/** One vendor call as the admitting hook sees it. */
export interface UpstreamCallAdmission {
  vendor: string;
  operation: string;
  requestId?: string | undefined;
}

/**
 * Asked once per call before it starts (its retries are the same call); throwing refuses the
 * call, returning the request's scope bounds it.
 */
export type BeforeUpstreamCall = (call: UpstreamCallAdmission) => RequestScope | undefined | void;
