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
import type { UpstreamCallEvent } from '../upstreams/http.js';

/** The per-request count that `context.upstreamCalls` carries (see plugins/observed-context.ts). */
export interface UpstreamCallCount {
  /** HTTP attempts sent to vendors, retries included, token fetches not. */
  count: number;
}

export interface UpstreamCallCounter {
  /** Runs `fn` (one request) with a fresh count; returns what `fn` returns. */
  run<T>(fn: (count: UpstreamCallCount) => T): T;
  /** The count of the request running now, if any. */
  current(): UpstreamCallCount | undefined;
  /** The `onUpstreamCall` listener; events outside any `run` (start-up probes) are ignored. */
  record(event: UpstreamCallEvent): void;
}

export function createUpstreamCallCounter(): UpstreamCallCounter {
  const storage = new AsyncLocalStorage<UpstreamCallCount>();
  return {
    run(fn) {
      const count: UpstreamCallCount = { count: 0 };
      return storage.run(count, () => fn(count));
    },
    current: () => storage.getStore(),
    record() {
      const count = storage.getStore();
      if (count !== undefined) count.count += 1;
    },
  };
}
