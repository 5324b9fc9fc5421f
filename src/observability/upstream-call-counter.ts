/**
 * Upstream calls per GraphQL request. `onUpstreamCall` is one process-wide listener; every vendor
 * call carries the gateway request id that made it (providers take it with each call), so a
 * call is counted for its request by that id, in a map of the requests in flight. Looking the
 * count up by id costs a map read per call, where following async context through every await
 * cost about a tenth of a request's CPU.
 *
 *   const counter = createUpstreamCallCounter();
 *   createUpstreams(config, { onUpstreamCall: (e) => { metrics.onUpstreamCall(e); counter.record(e); } });
 *   counter.run(requestId, (id) => apollo.executeHTTPGraphQLRequest({ ..., context: async () => ({ ...ctx, upstreamCalls: counter.countOf(id) }) }));
 */
import { RequestBudgetError } from '../errors.js';
import { TOKEN_OPERATION, type UpstreamCallEvent } from '../upstreams/http.js';
import type { RequestScope, UpstreamCallAdmission } from '../upstreams/request-scope.js';

/** The per-request count that `context.upstreamCalls` carries (see plugins/observed-context.ts). */
export interface UpstreamCallCount {
  /** HTTP attempts sent to vendors, retries included, token fetches not. */
  count: number;
  /** Calls started (a call's retries are one call): what the request's budget counts. */
  started: number;
  /** The most calls this request may start (its key's `maxVendorCalls`); set with the context. */
  maxCalls: number;
  /** The vendors' own ids of those attempts (`Zuora-Request-Id`, …), once each, for audit lines. */
  vendorRequestIds: string[];
  /**
   * Epoch ms past which the request no longer waits for its vendor calls (a query's deadline, set
   * once its operation is known); absent while it has none. Each call's deadline is cut to it.
   */
  deadlineAt?: number | undefined;
  /** That deadline's length (the request's `deadlineMs`), for the REQUEST_TIMEOUT a call cut by it fails with. */
  deadlineMs?: number | undefined;
  /** Who the request came as (`Caller.keyId`), set with the context: its calls wait in that caller's line. */
  caller?: string | undefined;
}

export interface UpstreamCallCounter {
  /**
   * Runs `fn` (one request) with a fresh count under `requestId`, or under `requestId~2`, `~3`…
   * while another request with the same id (a caller reusing its `x-request-id`) is in flight, so
   * two requests never share a count. `fn` gets the id to use for the request's calls.
   */
  run<T>(requestId: string, fn: (requestId: string, count: UpstreamCallCount) => Promise<T>): Promise<T>;
  /** The count of a request in flight, by the id `run` gave it. */
  countOf(requestId: string): UpstreamCallCount | undefined;
  /** The `onUpstreamCall` listener; calls of no request in flight (start-up, readiness probes) are ignored. */
  record(event: UpstreamCallEvent): void;
  /**
   * The `beforeUpstreamCall` listener: counts a call the request starts, and refuses it with
   * REQUEST_BUDGET_EXCEEDED past the request's `maxCalls`, so a request that fans out too far
   * fails its remaining fields fast instead of queueing hundreds of calls. An admitted call gets
   * its request's scope: its caller (whose line it waits in at the vendor's limiter), the
   * deadline it may not outlive, and a signal that aborts when `run` returns, so its calls still
   * waiting for a vendor turn leave unsent.
   */
  admit(call: UpstreamCallAdmission): RequestScope | undefined;
}

export function createUpstreamCallCounter(): UpstreamCallCounter {
  const inFlight = new Map<string, UpstreamCallCount>();
  const ends = new WeakMap<UpstreamCallCount, AbortController>();
  return {
    async run(requestId, fn) {
      let id = requestId;
      for (let n = 2; inFlight.has(id); n += 1) id = `${requestId}~${n}`;
      const count: UpstreamCallCount = { count: 0, started: 0, maxCalls: Number.POSITIVE_INFINITY, vendorRequestIds: [] };
      const ended = new AbortController();
      inFlight.set(id, count);
      ends.set(count, ended);
      try {
        return await fn(id, count);
      } finally {
        inFlight.delete(id);
        ended.abort();
      }
    },
    countOf: (requestId) => inFlight.get(requestId),
    record(event) {
      // A token fetch serves every request of its credential; it is not this request's call.
      if (event.requestId === undefined || event.operation === TOKEN_OPERATION) return;
      const count = inFlight.get(event.requestId);
      if (count === undefined) return;
      count.count += 1;
      const id = event.vendorRequestId;
      if (id !== undefined && !count.vendorRequestIds.includes(id)) count.vendorRequestIds.push(id);
    },
    admit(call) {
      const count = call.requestId === undefined ? undefined : inFlight.get(call.requestId);
      if (count === undefined) return undefined;
      if (count.started >= count.maxCalls) {
        throw new RequestBudgetError('maxVendorCalls', count.maxCalls, `This request reached its budget of ${count.maxCalls} vendor calls before ${call.vendor} ${call.operation}; ask for fewer objects or smaller pages`);
      }
      count.started += 1;
      return { caller: count.caller, deadlineAt: count.deadlineAt, deadlineMs: count.deadlineMs, ended: ends.get(count)?.signal };
    },
  };
}
