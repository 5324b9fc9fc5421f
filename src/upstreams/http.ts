/**
 * The one `got.extend()` base every vendor client extends. It owns what the three vendors share:
 * keep-alive agents, a timeout per attempt and a deadline per call, the retry policy, one token
 * refresh on an auth failure, request-id forwarding, per-tenant limits, and
 * turning every failure into an `UpstreamError` through the vendor's classifier. A vendor client
 * adds `prefixUrl`, its headers and thin typed methods:
 *
 *   const zuora = base.got.extend({ prefixUrl: config.url });
 *   const body = await zuora.get('v1/entities', { context: { operation: 'listEntities', auth } }).json<EntitiesBody>();
 *
 * Responses are read as text and parsed here, so `response.body` is parsed JSON (or the raw text
 * when not JSON) and `.json<T>()` works as usual. Non-2xx responses the classifier accepts (a
 * Zuora 409 replaying a success) resolve like any other response.
 */
import http from 'node:http';
import https from 'node:https';
import got, { RequestError, type Got, type HandlerFunction, type Response, type RetryObject } from 'got';
import { RequestTimeoutError, UpstreamAbandonedError, UpstreamError, UpstreamTimeoutError } from '../errors.js';
import { deadlinePassed } from './call-deadline.js';
import { createCircuitBreakers, DEFAULT_CIRCUIT_BREAKER, type CircuitBreakerOptions } from './circuit-breakers.js';
import type { Classifier } from './classification.js';
import { createUpstreamError } from './create-upstream-error.js';
import { failureOf, isBareTransportError, foundVendorDown } from './failure-of.js';
import { useFastRequestOptions } from './got-request-options.js';
import { parseRetryAfter } from '../lib/parse-retry-after.js';
import { ReadTimeouts } from './read-timeouts.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
import { DEFAULT_RETRY_POLICY, gotRetryOptions, retryDelay, type RetryPolicy } from './retry-policy.js';
import type { BeforeUpstreamCall, RequestScope } from './request-scope.js';
import { LeftUnsent, runCall } from './run-call.js';
import type { TenantLimiter } from './tenant-limiter.js';
import { attachCallState, callContext, callState, ClassifiedFailure, type CallState } from './upstream-call.js';
import type { Vendor } from './vendor.js';
import { endWithCall, recordAttempt, startUpstreamSpan } from '../tracing/upstream-span.js';

export interface UpstreamCallEvent {
  vendor: Vendor;
  operation: string;
  /** HTTP status; `undefined` when no response arrived. */
  status: number | undefined;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** Whether another attempt follows this one. */
  retried: boolean;
  /** The vendor's id for this request (`Zuora-Request-Id`, …) when its answer carried one: for audit lines and support. */
  vendorRequestId?: string;
  /** The gateway request that made the call, when one did (not a readiness probe or token fetch). */
  requestId?: string;
}

export interface HttpTimeouts {
  /** One attempt, connect to last byte (got `timeout.request`). */
  attemptMs: number;
  /** The whole call: limiter wait, attempts and backoff; never past its request's deadline. */
  deadlineMs: number;
}

/**
 * 8 s per attempt: every vendor answers these small calls in well under a second, so 8 s means
 * it is stuck. 20 s per call fits two slow attempts plus backoff and stays under the 30 s most
 * GraphQL clients and proxies give a whole request.
 */
export const DEFAULT_TIMEOUTS: Readonly<HttpTimeouts> = { attemptMs: 8000, deadlineMs: 20_000 };

/** Network errors worth another attempt (got's list): the request most likely never arrived, or the connection broke. */
export const RETRY_ERROR_CODES: readonly string[] = [
  'ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN',
];

/** The operation name token fetches are reported under: a token serves every request of its credential. */
export const TOKEN_OPERATION = 'fetchToken';

export interface UpstreamHttpOptions {
  vendor: Vendor;
  classify: Classifier;
  /** Outgoing header for the gateway request id: `Zuora-Track-Id` (Zuora), `X-Request-Id` (others). */
  requestIdHeader: string;
  /** Response header holding the vendor's own request id, e.g. `Zuora-Request-Id`. */
  vendorRequestIdHeader?: string;
  /** Statuses that mean a stale token: refresh once and retry (Zuora 401; m3ter 401 and 403). */
  refreshAuthOn?: readonly number[];
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<HttpTimeouts>;
  limiter?: TenantLimiter;
  /** Sockets per host in each keep-alive pool (default 64: above every vendor's concurrency cap). */
  maxSockets?: number;
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** The vendor-health policies; each on by default, `'off'` for a test of the mechanism beneath. */
  health?: VendorHealthOptions;
  /**
   * Asked once per call before it starts (its retries are the same call); throwing refuses the
   * call, and the request's scope it returns bounds the call. Token fetches are not asked.
   */
  beforeUpstreamCall?: BeforeUpstreamCall | undefined;
  /** For tests: jitter source. */
  random?: () => number;
}

export interface UpstreamHttp {
  got: Got;
  /** Closes idle keep-alive sockets; calls after this open new ones. */
  close(): void;
}

export interface VendorHealthOptions {
  /** Per tenant: fail fast while the vendor is down (default 5 outage failures in a row, 2 s). */
  circuitBreaker?: CircuitBreakerOptions | 'off';
  /** Retries at most this share of calls (default 10%, plus 1 a second). */
  retryBudget?: Partial<RetryBudgetOptions> | 'off';
}

export function createUpstreamHttp(options: UpstreamHttpOptions): UpstreamHttp {
  useFastRequestOptions();
  const { vendor, classify } = options;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  // A readiness probe's attempts come ~50 ms apart: a round must say quickly whether the vendor is
  // there now, and three quick attempts still ride out one dropped connection or one 503.
  const probePolicy: RetryPolicy = { ...policy, backoffBaseMs: Math.min(policy.backoffBaseMs, 50), backoffLimitMs: Math.min(policy.backoffLimitMs, 50), noiseMs: Math.min(policy.noiseMs, 20) };
  const timeouts: HttpTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const refreshAuthOn = options.refreshAuthOn ?? [];
  const requestIdHeader = options.requestIdHeader.toLowerCase();
  const vendorRequestIdHeader = options.vendorRequestIdHeader?.toLowerCase();
  const random = options.random ?? Math.random;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  // The vendor-health policies: a circuit per tenant, a retry budget per vendor, and
  // read timeouts that follow the vendor's recent latency.
  const health = options.health ?? {};
  const breakers = health.circuitBreaker === 'off' ? undefined : createCircuitBreakers(vendor, health.circuitBreaker ?? DEFAULT_CIRCUIT_BREAKER);
  const retryBudget = health.retryBudget === 'off' ? undefined : new RetryBudget(health.retryBudget);
  // Reads and writes apart: writes are slower, and a write cut short is settled by reading the
  // vendor before any retry (idempotency keys, create-safely searches, reconciliation).
  // Writes are slower than reads and rarer: until enough have answered, twice the reads' timeout.
  const readTimeouts = new ReadTimeouts({ maxMs: timeouts.attemptMs });
  const attemptTimeouts = { read: readTimeouts, write: new ReadTimeouts({ maxMs: timeouts.attemptMs, minMs: 1_000, untilKnown: () => 2 * readTimeouts.timeoutMs() }) };
  const timeoutsFor = (method: string) => (method === 'GET' ? attemptTimeouts.read : attemptTimeouts.write);

  const report = (state: CallState, status: number | undefined, retried: boolean): void => {
    if (state.reportedAttempt === state.attempt) return;
    state.reportedAttempt = state.attempt;
    if (state.span !== undefined) recordAttempt(state.span, { attempt: state.attempt, status, retried });
    try {
      options.onUpstreamCall?.({
        vendor,
        operation: state.operation,
        status,
        durationMs: Date.now() - state.attemptStartedAt,
        attempt: state.attempt,
        retried,
        ...(state.requestId === undefined ? {} : { vendorRequestId: state.requestId }),
        ...(state.gatewayRequestId === undefined ? {} : { requestId: state.gatewayRequestId }),
      });
    } catch {
      // A metrics listener must not break the call.
    }
  };

  const beforeRequest = async (requestOptions: Parameters<typeof callContext>[0] & { headers: Record<string, unknown> }): Promise<void> => {
    const state = callState(requestOptions);
    if (state === undefined) return;
    state.attempt += 1;
    state.attemptStartedAt = Date.now();
    const auth = callContext(requestOptions).auth;
    if (auth !== undefined) {
      state.authorization = await auth.authorization();
      requestOptions.headers.authorization = state.authorization;
    }
  };

  const afterResponse = (response: Response, retryWithMergedOptions: (options: Record<string, unknown>) => never): Response => {
    response.body = parseBody(response.body);
    const requestOptions = response.request.options;
    const state = callState(requestOptions);
    if (state === undefined) return response;
    const status = response.statusCode;
    // Token fetches serve every request and have their own pace: they are not the vendor's API latency.
    if (state.operation !== TOKEN_OPERATION) timeoutsFor(state.method).record(Date.now() - state.attemptStartedAt);
    const header = vendorRequestIdHeader === undefined ? undefined : response.headers[vendorRequestIdHeader];
    state.requestId = typeof header === 'string' ? header : state.requestId;
    const auth = callContext(requestOptions).auth;
    // One refresh per call; `beforeRequest` fetches the new token.
    if (refreshAuthOn.includes(status) && auth?.invalidate !== undefined && !state.authRefreshed && state.attempt < policy.maxAttempts) {
      state.authRefreshed = true;
      if (state.authorization !== undefined) auth.invalidate(state.authorization);
      report(state, status, true);
      return retryWithMergedOptions({ preserveHooks: true });
    }
    const failure = classify({ status, headers: response.headers, body: response.body, method: state.method, attempt: state.attempt });
    if (failure === undefined) {
      report(state, status, false);
      return response;
    }
    throw new ClassifiedFailure(failure, status, parseRetryAfter(response.headers['retry-after']));
  };

  const calculateDelay = ({ attemptCount, error }: RetryObject): number => {
    const state = error.options === undefined ? undefined : callState(error.options);
    if (state === undefined) return 0;
    // got's own retry after `retryWithMergedOptions` (the token refresh): go at once.
    if (error.name === 'RetryError') return 1;
    const attempt = failureOf(error, RETRY_ERROR_CODES);
    if (attempt.byVendor) state.vendorFoundDown = foundVendorDown(attempt);
    let delay = retryDelay(state.probe ? probePolicy : policy, { attempt, state, attemptCount, now: Date.now(), random });
    // Past the vendor's retry budget the attempt's failure is final (and retryable for the caller).
    if (delay > 0 && retryBudget !== undefined && !retryBudget.tryRetry()) delay = 0;
    report(state, attempt.status, delay > 0);
    return delay;
  };

  const toUpstreamError = (error: unknown, state: CallState): unknown => {
    if (error instanceof UpstreamError) return error;
    const details = { vendor, operation: state.operation, requestId: state.requestId, attempts: state.attempt };
    // Never sent: it says nothing about the vendor, and the circuit never sees it.
    if (error instanceof LeftUnsent) return deadlinePassed(new UpstreamAbandonedError({ ...details, retryable: true }));
    const attempt = error instanceof RequestError || isBareTransportError(error) ? failureOf(error, RETRY_ERROR_CODES) : undefined;
    if (attempt?.byVendor === true) state.vendorFoundDown = foundVendorDown(attempt);
    if (state.deadlineExceeded) {
      // Cut short by the gateway: an outage only if the vendor's last word on the call said so.
      const TimeoutClass = state.vendorFoundDown ? UpstreamTimeoutError : UpstreamAbandonedError;
      return deadlinePassed(new TimeoutClass({ ...details, retryable: true }));
    }
    // Not from got: a bug in a hook or handler. Let it surface as it is (masked as internal).
    if (attempt === undefined) return error;
    const { failure, status, retryAfterMs, upstreamError } = attempt;
    if (upstreamError !== undefined) return upstreamError;
    const { kind, vendorCode, retryable, invalidInputs } = failure;
    return createUpstreamError(kind, { ...details, status, vendorCode, retryable, retryAfterMs, ...(invalidInputs === undefined ? {} : { invalidInputs }) }, safeCause(error));
  };

  // Once per call (hooks run once per attempt): call state, deadline, limiter slot, final error.
  const handler: HandlerFunction = (handlerOptions, next) => {
    if (handlerOptions.isStream) return next(handlerOptions);
    const context = callContext(handlerOptions);
    const deadlineMs = context.deadlineMs ?? timeouts.deadlineMs;
    const method = handlerOptions.method.toUpperCase();
    const state: CallState = {
      operation: context.operation ?? `${method.toLowerCase()} request`,
      method,
      idempotent: context.idempotencyKey !== undefined,
      deadlineAt: Date.now() + deadlineMs,
      deadlineExceeded: false,
      requestEnded: undefined,
      vendorFoundDown: false,
      attempt: 0,
      attemptStartedAt: Date.now(),
      reportedAttempt: 0,
      authorization: undefined,
      authRefreshed: false,
      requestId: undefined,
      gatewayRequestId: context.requestId,
      probe: context.probe === true,
    };
    attachCallState(handlerOptions, state);
    if (context.requestId !== undefined) handlerOptions.headers[requestIdHeader] = context.requestId;
    if (context.idempotencyKey !== undefined) handlerOptions.headers['idempotency-key'] = context.idempotencyKey;
    const circuit = context.circuit ?? context.tenant ?? '';
    let scope: RequestScope | undefined;
    // Set when the request's deadline, not the call's own, is the one the call keeps.
    let requestDeadlineMs: number | undefined;
    if (options.beforeUpstreamCall !== undefined && state.operation !== TOKEN_OPERATION) {
      try {
        scope = options.beforeUpstreamCall({ vendor, operation: state.operation, requestId: context.requestId }) ?? undefined;
        // The request's deadline bounds the call's: its queue wait, its attempts and its retries.
        if (scope?.deadlineAt !== undefined && scope.deadlineAt < state.deadlineAt) {
          state.deadlineAt = scope.deadlineAt;
          requestDeadlineMs = scope.deadlineMs;
        }
        state.requestEnded = scope?.ended;
      } catch (error) {
        return Promise.reject(error) as Promise<never>;
      }
    }
    try {
      // An open circuit refuses the call before it queues for a turn it would spend failing.
      breakers?.refuseWhileOpen(circuit, state.operation);
    } catch (error) {
      return Promise.reject(error) as Promise<never>;
    }
    // Once the call is admitted; undefined (and nothing sent) while tracing is off.
    state.span = startUpstreamSpan(vendor, state.operation, method, handlerOptions.headers);
    if (state.operation !== TOKEN_OPERATION) handlerOptions.timeout = { ...handlerOptions.timeout, request: timeoutsFor(method).timeoutMs() };
    if (state.operation !== TOKEN_OPERATION) retryBudget?.recordCall();
    const start = () => next(handlerOptions) as unknown as Promise<unknown> & { cancel(): void };
    // The request id is the fairness flow, its caller the line it waits in: the limiter serves
    // waiting calls round-robin by caller, then by request.
    // A readiness probe takes no limiter slot: it must measure the vendor, not our backlog for it
    // (after an outage every slot can be held by calls waiting out a Retry-After). One call per
    // round is far inside every vendor's limits.
    const slot = context.tenant === undefined || state.probe || options.limiter === undefined ? undefined : { limiter: options.limiter, tenant: context.tenant, flow: context.requestId, caller: scope?.caller };
    const settle = (error: unknown) => toUpstreamError(error, state);
    // The circuit sees the classified error of a call that was sent: only an outage (no answer,
    // timeout, 5xx) counts, and only attempts the vendor ended decide that (run-call.ts).
    const settled = runCall({ state, send: start, settle, slot, circuit: breakers === undefined ? undefined : { breakers, key: circuit } }).catch((error: unknown) => {
      // Cut by its request's deadline: the caller gets what the request's field gets at that
      // moment (limits/with-request-budget.ts), so the clock's order of the two cannot show.
      // The circuit has judged the call already, on what the vendor said (run-call.ts).
      if (state.deadlineExceeded && requestDeadlineMs !== undefined) throw new RequestTimeoutError(requestDeadlineMs);
      throw settle(error);
    });
    return (state.span === undefined ? settled : endWithCall(state.span, settled)) as Promise<never>;
  };

  const base = got.extend({
    agent: agents,
    timeout: { request: timeouts.attemptMs },
    retry: gotRetryOptions(policy, RETRY_ERROR_CODES, calculateDelay),
    // Classification decides what is a failure, so got must not throw on status alone.
    throwHttpErrors: false,
    // Vendors do not redirect these APIs; following one could carry credentials elsewhere.
    followRedirect: false,
    responseType: 'text',
    hooks: { beforeRequest: [beforeRequest], afterResponse: [afterResponse] },
    handlers: [handler],
  });

  return {
    got: base,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** JSON when it parses, else the text: vendors send HTML error pages and empty bodies too. */
function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' || body === '') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * A cause for logs without what got's errors carry: request options (Authorization header),
 * URLs and hosts. Name and code are enough to tell a reset from a refusal.
 */
function safeCause(error: unknown): Error | undefined {
  if (!(error instanceof Error) || error instanceof ClassifiedFailure || error.cause instanceof ClassifiedFailure) return undefined;
  const code = (error as { code?: unknown }).code;
  const cause = new Error(typeof code === 'string' ? `${error.name} ${code}` : error.name);
  cause.name = error.name;
  return Object.assign(cause, typeof code === 'string' ? { code } : {});
}
