import type { UpstreamCallCount } from '../observability/upstream-call-counter.js';

/**
 * The context fields the observability plugins read. All optional: a plugin logs what is there.
 * `GraphQLContext` (src/context.ts) already has `requestId` and `tenant`; the entry point adds
 * `caller` (from `authenticateCaller`) and `upstreamCalls` (from `createUpstreamCallCounter().run`).
 */
export interface ObservedContext {
  /** The request id (`requestIdFrom(x-request-id)`), echoed and forwarded to vendors. */
  requestId?: string;
  /** Upstream HTTP attempts made for this request so far, and the vendors' request ids for them. */
  upstreamCalls?: Pick<UpstreamCallCount, 'count' | 'vendorRequestIds'>;
  /** The authenticated caller; only `keyId` is logged. */
  caller?: { keyId: string };
  /** The tenant the request acts for at each vendor. */
  tenant?: Readonly<Record<string, string | undefined>>;
}
