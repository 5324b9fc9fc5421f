/**
 * The gateway's Prometheus metrics, on a registry of its own (not prom-client's global one, so
 * two gateways in one test process do not collide). Every label has a bounded set of values:
 * vendors and client operations are fixed by code, HTTP statuses by the protocol, GraphQL
 * operation names are capped (`createOperationLabel`), loader names are fixed by code.
 *
 * Fed from: `metricsPlugin` (GraphQL requests), `createUpstreams(config, { onUpstreamCall,
 * onTokenFetch })` (upstream attempts, retries, token fetches), the loaders (`observeBatch`) and,
 * with replicas on Redis, `createSharedState` (budget and lock waits, cache reads, Redis errors).
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { UpstreamCallEvent } from '../upstreams/http.js';
import type { TokenFetchEvent } from '../upstreams/token-provider.js';
import type { SharedStateEvents } from '../shared-state/shared-state.js';
import { createOperationLabel } from './operation-label.js';

/** `success`: no errors; `partial`: data and errors; `error`: errors and no data. */
export type GraphQLOutcome = 'success' | 'partial' | 'error';

export interface GraphQLRequestObservation {
  /** The resolved operation's name; `null` for anonymous or unparsed operations. */
  operationName: string | null | undefined;
  outcome: GraphQLOutcome;
  durationMs: number;
}

export interface MetricsOptions {
  /** Metric name prefix; default `interlink_`. */
  prefix?: string;
  /** Distinct GraphQL operation names kept as labels before the rest become `other`; default 100. */
  maxOperationNames?: number;
  /** Process metrics (CPU, memory, event loop lag, GC); default true. */
  processMetrics?: boolean;
}

export interface Metrics {
  registry: Registry;
  /** For the `Content-Type` of `/metrics`. */
  contentType: string;
  /** The exposition text for `/metrics`. */
  render(): Promise<string>;
  observeGraphQLRequest(observation: GraphQLRequestObservation): void;
  /** A GraphQL request answered by another's execution (http/query-coalescing.ts); also counted by `observeGraphQLRequest`. */
  observeCoalesced(): void;
  /** A vendor read answered by an identical one in flight (no call of its own). */
  onSharedRead(event: { vendor: string; operation: string }): void;
  /** `onUpstreamCall` for `createUpstreams`: one event per attempt. */
  onUpstreamCall(event: UpstreamCallEvent): void;
  /** `onTokenFetch` for `createUpstreams`. */
  onTokenFetch(event: TokenFetchEvent): void;
  /** For the loaders: one call per batch function run, with the number of keys it got. */
  observeBatch(loader: string, size: number): void;
  /** For `createSharedState`: waits for shared budgets and token locks, cache reads. */
  onBudgetWait: NonNullable<SharedStateEvents['onBudgetWait']>;
  onLockWait: NonNullable<SharedStateEvents['onLockWait']>;
  onCacheRead: NonNullable<SharedStateEvents['onCacheRead']>;
  /** A Redis command that failed or timed out, by the part that sent it (`idempotency` too). */
  onRedisError(part: string): void;
  /** A `clientMutationId` record that could not be read back, by store (`sqlite`, `redis`). */
  onInvalidIdempotencyRecord(store: string): void;
}

// Seconds, as Prometheus prefers. GraphQL requests span more (fan-out, retries) than one attempt.
const GRAPHQL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Up to the vendors' page limits (500 at most), where `maxBatchSize` caps a batch.
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];
// A call's wait for a budget slot: nothing when there is room, up to seconds under a backlog.
const WAIT_BUCKETS = [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? 'interlink_';
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  const operationLabel = createOperationLabel(options.maxOperationNames ?? 100);

  const graphqlRequests = new Counter({
    name: `${prefix}graphql_requests_total`,
    help: 'GraphQL requests by operation name and outcome (success, partial, error).',
    labelNames: ['operation', 'outcome'] as const,
    registers,
  });
  const graphqlDuration = new Histogram({
    name: `${prefix}graphql_request_duration_seconds`,
    help: 'GraphQL request latency by operation name, from request start to response.',
    labelNames: ['operation'] as const,
    buckets: GRAPHQL_BUCKETS,
    registers,
  });
  const graphqlCoalesced = new Counter({
    name: `${prefix}graphql_coalesced_total`,
    help: 'GraphQL queries answered by an identical query already in flight, without an execution of their own.',
    registers,
  });
  const upstreamSharedReads = new Counter({
    name: `${prefix}upstream_shared_reads_total`,
    help: 'Vendor reads answered by an identical read already in flight, by vendor and client operation: calls not made.',
    labelNames: ['vendor', 'operation'] as const,
    registers,
  });
  const upstreamRequests = new Counter({
    name: `${prefix}upstream_requests_total`,
    help: 'HTTP requests to vendors (each attempt) by vendor, client operation and status ("none" when no response arrived).',
    labelNames: ['vendor', 'operation', 'status'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: `${prefix}upstream_request_duration_seconds`,
    help: 'Latency of one HTTP attempt to a vendor, by vendor and client operation.',
    labelNames: ['vendor', 'operation'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const upstreamRetries = new Counter({
    name: `${prefix}upstream_retries_total`,
    help: 'Vendor attempts followed by another attempt (retries and token refreshes), by vendor and client operation.',
    labelNames: ['vendor', 'operation'] as const,
    registers,
  });
  const tokenFetches = new Counter({
    name: `${prefix}upstream_token_fetches_total`,
    help: 'OAuth token fetches by vendor and outcome (ok, error).',
    labelNames: ['vendor', 'outcome'] as const,
    registers,
  });
  const batchSizes = new Histogram({
    name: `${prefix}dataloader_batch_size`,
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: BATCH_BUCKETS,
    registers,
  });

  const budgetWait = new Histogram({
    name: `${prefix}shared_budget_wait_seconds`,
    help: 'Time a vendor call waited for its tenant budget after its turn in the local queue, by vendor and mode (shared: in Redis; local: Redis away, this replica\'s share).',
    labelNames: ['vendor', 'mode'] as const,
    buckets: WAIT_BUCKETS,
    registers,
  });
  const lockWait = new Histogram({
    name: `${prefix}shared_token_lock_wait_seconds`,
    help: "Time a replica waited for another replica's OAuth token fetch, by vendor.",
    labelNames: ['vendor'] as const,
    buckets: WAIT_BUCKETS,
    registers,
  });
  const cacheReads = new Counter({
    name: `${prefix}shared_cache_reads_total`,
    help: 'Reads of a shared vendor list (revio-catalog, m3ter-system-names) by outcome (hit, miss).',
    labelNames: ['cache', 'outcome'] as const,
    registers,
  });
  const redisErrors = new Counter({
    name: `${prefix}redis_errors_total`,
    help: 'Redis commands that failed or timed out, by part (budget, token, cache, idempotency).',
    labelNames: ['part'] as const,
    registers,
  });

  const invalidIdempotencyRecords = new Counter({
    name: `${prefix}idempotency_invalid_records_total`,
    help: 'clientMutationId records that could not be read back (answered IDEMPOTENCY_RECORD_INVALID), by store.',
    labelNames: ['store'] as const,
    registers,
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeGraphQLRequest({ operationName, outcome, durationMs }) {
      const operation = operationLabel(operationName);
      graphqlRequests.inc({ operation, outcome });
      graphqlDuration.observe({ operation }, durationMs / 1000);
    },
    observeCoalesced() {
      graphqlCoalesced.inc();
    },
    onSharedRead({ vendor, operation }) {
      upstreamSharedReads.inc({ vendor, operation });
    },
    onUpstreamCall(event) {
      const labels = { vendor: event.vendor, operation: event.operation };
      upstreamRequests.inc({ ...labels, status: event.status === undefined ? 'none' : String(event.status) });
      upstreamDuration.observe(labels, event.durationMs / 1000);
      if (event.retried) upstreamRetries.inc(labels);
    },
    onTokenFetch(event) {
      tokenFetches.inc({ vendor: event.vendor, outcome: event.ok ? 'ok' : 'error' });
    },
    observeBatch(loader, size) {
      batchSizes.observe({ loader }, size);
    },
    onBudgetWait(event) {
      budgetWait.observe({ vendor: event.vendor, mode: event.mode }, event.waitMs / 1000);
    },
    onLockWait(event) {
      lockWait.observe({ vendor: event.vendor }, event.waitMs / 1000);
    },
    onCacheRead(event) {
      cacheReads.inc({ cache: event.cache, outcome: event.hit ? 'hit' : 'miss' });
    },
    onRedisError(part) {
      redisErrors.inc({ part });
    },
    onInvalidIdempotencyRecord(store) {
      invalidIdempotencyRecords.inc({ store });
    },
  };
}
