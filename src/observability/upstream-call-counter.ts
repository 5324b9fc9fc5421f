/**
 * Upstream calls per GraphQL request. `onUpstreamCall` is one process-wide listener and its
 * events do not say which request caused them, so each request runs inside `run()`, an
 * AsyncLocalStorage scope: a call the request's resolvers and loaders start (DataLoader batches
 * included, keep-alive sockets too) reports inside that scope and counts for it alone.
 *
 *   const counter = createUpstreamCallCounter();
 *   createUpstreams(config, { onUpstreamCall: (e) => { metrics.onUpstreamCall(e); counter.record(e); } });
 *   counter.run((upstreamCalls) => apollo.executeHTTPGraphQLRequest({ ..., context: async () => ({ ...ctx, upstreamCalls }) }));
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestBudgetError } from '../errors.js';
import { TOKEN_OPERATION, type UpstreamCallEvent } from '../upstreams/http.js';

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
}

export interface UpstreamCallCounter {
  /** Runs `fn` (one request) with a fresh count; returns what `fn` returns. */
  run<T>(fn: (count: UpstreamCallCount) => T): T;
  /** The count of the request running now, if any. */
  current(): UpstreamCallCount | undefined;
  /** The `onUpstreamCall` listener; events outside any `run` (start-up probes) are ignored. */
  record(event: UpstreamCallEvent): void;
  /**
   * The `beforeUpstreamCall` listener: counts a call the running request starts, and refuses it
   * with REQUEST_BUDGET_EXCEEDED past the request's `maxCalls`, so a request that fans out too far
   * fails its remaining fields fast instead of queueing hundreds of calls.
   */
  admit(call: { vendor: string; operation: string }): void;
}

export function createUpstreamCallCounter(): UpstreamCallCounter {
  const storage = new AsyncLocalStorage<UpstreamCallCount>();
  return {
    run(fn) {
      const count: UpstreamCallCount = { count: 0, started: 0, maxCalls: Number.POSITIVE_INFINITY, vendorRequestIds: [] };
      return storage.run(count, () => fn(count));
    },
    current: () => storage.getStore(),
    record(event) {
      const count = storage.getStore();
      // A token fetch serves every request of its credential; it is not this request's call.
      if (count === undefined || event.operation === TOKEN_OPERATION) return;
      count.count += 1;
      const id = event.vendorRequestId;
      if (id !== undefined && !count.vendorRequestIds.includes(id)) count.vendorRequestIds.push(id);
    },
    admit(call) {
      const count = storage.getStore();
      if (count === undefined) return;
      if (count.started >= count.maxCalls) {
        throw new RequestBudgetError('maxVendorCalls', count.maxCalls, `This request reached its budget of ${count.maxCalls} vendor calls before ${call.vendor} ${call.operation}; ask for fewer objects or smaller pages`);
      }
      count.started += 1;
    },
  };
}
