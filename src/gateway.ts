/**
 * `createGateway(config)`: the whole gateway process minus the process itself — upstream clients,
 * Apollo Server with its plugins, and one node:http server answering
 *
 *   /graphql            GraphQL (POST, or GET for queries); a browser's GET gets GraphiQL
 *   /graphiql           the offline GraphiQL IDE and its bundled assets
 *   /healthz, /readyz   liveness, and readiness of every configured upstream
 *   /metrics            Prometheus text
 *
 * It does not listen until `listen()`, and `close()` drains: no new connections, in-flight
 * requests finish (up to a grace period), then the upstream keep-alive pools close. src/index.ts
 * adds what belongs to a process: config from the environment, the sandbox, signals, the banner.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { Logger } from 'pino';
import { createCallerAuthenticator } from './callers/caller-authenticator.js';
import { readHeader } from './callers/header-source.js';
import { createJwtVerifier } from './callers/jwt-verifier.js';
import type { ApiKeyRecord } from './callers/api-key-record.js';
import type { Caller } from './callers/caller.js';
import type { Config } from './config.js';
import { createContext, type GraphQLContext } from './context.js';
import { GatewayError } from './errors.js';
import { answerClientErrors } from './http/answer-client-error.js';
import { createGraphiQLHandler } from './http/graphiql.js';
import { createGraphQLHandler } from './http/graphql-handler.js';
import { Admission } from './http/admission.js';
import { QueryCoalescing } from './http/query-coalescing.js';
import { QueryKinds } from './http/query-kinds.js';
import { createHealthHandler } from './http/health.js';
import { httpGraphQLError } from './http/http-graphql-error.js';
import { openIdempotencyStore } from './idempotency/open-idempotency-store.js';
import type { RedisIdempotencyStore } from './idempotency/redis-idempotency-store.js';
import { readinessProbes } from './http/readiness-probes.js';
import { createSharedState, type SharedState } from './shared-state/shared-state.js';
import type { RedisSetupWarning } from './shared-state/redis-setup-warnings.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { metricsHandler } from './observability/metrics-handler.js';
import { registerCacheGauges } from './observability/cache-gauges.js';
import { countConnectionClosures } from './observability/connection-closures.js';
import { RepeatedErrorLog } from './observability/repeated-error-log.js';
import { connectionServerOptions, guardConnections } from './http/guard-connections.js';
import { requestIdFrom } from './observability/request-id.js';
import { createUpstreamCallCounter } from './observability/upstream-call-counter.js';
import { createOperationResolver } from './http/resolve-operation.js';
import { requireScope } from './callers/require-scope.js';
import { MAX_DOCUMENT_TOKENS } from './limits/query-limits.js';
import { logSecurityRefusal, REFUSAL_CODES } from './observability/security-log.js';
import { auditDenied, auditPlugin } from './plugins/audit-plugin.js';
import { gatewayErrorIn } from './plugins/gateway-error-in.js';
import { securityLogPlugin } from './plugins/security-log-plugin.js';
import { metricsPlugin } from './plugins/metrics-plugin.js';
import { queryKindPlugin } from './plugins/query-kind-plugin.js';
import { requestLogPlugin } from './plugins/request-log-plugin.js';
import { scopePlugin } from './plugins/scope-plugin.js';
import { resolveRequestTenant } from './request-tenant.js';
import { createServer } from './server.js';
import { VENDOR_SETTINGS } from './config/settings.js';
import { requireTrustedDocument } from './persisted-documents/require-trusted-document.js';
import { loadTrustedDocuments } from './persisted-documents/trusted-documents.js';
import { startTracing } from './tracing/start-tracing.js';
import { traceRequest } from './tracing/trace-request.js';
import { tracingPlugin } from './tracing/tracing-plugin.js';
import { createUpstreams, VENDOR_REGISTRY, type Upstreams } from './upstreams/index.js';

export interface GatewayOptions {
  /** With `upstreams` filled in (sandbox mode: see `withSandboxUpstreams`). */
  config: Config;
  logger: Logger;
  /** Default: a new registry. Tests pass one to read it. */
  metrics?: Metrics;
  /** API keys in addition to `config.server.apiKeys` (sandbox mode's development key). */
  extraApiKeys?: readonly ApiKeyRecord[];
  /** GraphiQL's build folder (`graphiqlAssetsDir()`), the headers a new tab starts with, and the operation it shows. `false`: no GraphiQL. */
  graphiql: { assetsDir: string; defaultHeaders?: Record<string, string>; defaultQuery?: string } | false;
  /** How long `close()` lets in-flight requests finish before cutting them; default 10 s. */
  drainGraceMs?: number;
}

export interface Gateway {
  httpServer: http.Server;
  upstreams: Upstreams;
  metrics: Metrics;
  /** Listens on `config.server.host` and `port` (0: any free one); resolves to the base URL. */
  listen(): Promise<string>;
  /** Drains and stops; safe to call more than once. */
  close(): Promise<void>;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger } = options;
  // First, so the upstream clients' own start-up calls are traced too; undefined when off.
  const tracing = startTracing(config.tracing);
  const metrics = options.metrics ?? createMetrics();
  const counter = createUpstreamCallCounter();
  const sharedState = await connectSharedState(config, metrics, logger);
  const upstreams = createUpstreams(config, {
    onUpstreamCall: (event) => {
      metrics.onUpstreamCall(event);
      counter.record(event);
    },
    onTokenFetch: (event) => metrics.onTokenFetch(event),
    onSharedRead: (event) => metrics.onSharedRead(event),
    beforeUpstreamCall: (call) => counter.admit(call),
  }, VENDOR_REGISTRY, sharedState);
  const apiKeys = [...config.server.apiKeys, ...(options.extraApiKeys ?? [])];
  if (apiKeys.length === 0) {
    // Fail closed, and say so at start rather than with a 401 on every request.
    logger.warn('no API keys are configured: every GraphQL request will get 401 (set apiKeys in INTERLINK_CONFIG_FILE or INTERLINK_API_KEYS_FILE)');
  }
  const { jwksUrl, jwksFile, issuer, audience, ...jwt } = config.jwt;
  const jwtVerifier = issuer === undefined || audience === undefined ? undefined : createJwtVerifier({ ...jwt, issuer, audience, ...(jwksUrl === undefined ? {} : { jwksUrl }), ...(jwksFile === undefined ? {} : { jwksFile }) }, VENDOR_SETTINGS);
  const authenticate = createCallerAuthenticator(apiKeys, jwtVerifier);
  const manifestFile = config.trustedDocuments.manifestFile;
  const trustedDocuments = manifestFile === undefined ? undefined : loadTrustedDocuments(manifestFile);

  // One per process: every request's context reaches the same records.
  // One store per process, or one Redis shared by every replica (INTERLINK_REDIS_URL).
  const opened = openIdempotencyStore({
    settings: config.idempotency,
    mode: config.mode,
    logger,
    onRedisError: () => metrics.onRedisError('idempotency'),
    onInvalidRecord: (store) => metrics.onInvalidIdempotencyRecord(store),
  });
  const { store: idempotency, redis: redisStore } = opened;
  const httpServer = http.createServer(connectionServerOptions(config.server));
  guardConnections(httpServer, config.server, countConnectionClosures(metrics.registry));
  answerClientErrors(httpServer);
  // Identical queries in flight share one execution (INTERLINK_COALESCE_QUERIES); off: no trace of it.
  const queryKinds = config.server.coalesceQueries ? new QueryKinds() : undefined;
  const server = createServer({
    config,
    upstreams,
    idempotency,
    plugins: [
      ...(queryKinds === undefined ? [] : [queryKindPlugin<GraphQLContext>({ kinds: queryKinds })]),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.drainGraceMs ?? 10_000 }),
      scopePlugin<GraphQLContext>({ callerOf: (context) => context.caller, decisionOf: (context) => context.operation }),
      requestLogPlugin<GraphQLContext>({ logger }),
      auditPlugin<GraphQLContext>({ logger }),
      securityLogPlugin<GraphQLContext>({ logger }),
      metricsPlugin<GraphQLContext>({ metrics }),
      ...(tracing === undefined ? [] : [tracingPlugin<GraphQLContext>()]),
    ],
  });
  await server.apollo.start();
  registerCacheGauges(metrics.registry, server.caches);

  const admission = new Admission({
    maxConcurrent: config.server.maxConcurrentRequests,
    maxQueued: config.server.maxQueuedRequests,
    maxWaitMs: config.server.maxQueueWaitMs,
    maxBytes: config.server.maxAdmittedBytes,
  });
  const resolver = createOperationResolver({
    maxTokens: MAX_DOCUMENT_TOKENS,
    documentCacheBytes: config.server.documentCacheBytes,
    persistedQueryCacheBytes: config.server.documentCacheBytes,
    ...(trustedDocuments === undefined ? {} : { trustedDocuments }),
  });
  const graphql = createGraphQLHandler<GraphQLContext, Caller>({
    apollo: server.apollo,
    admission,
    resolver,
    identify: (req) => asHttpRefusal(() => authenticate(req.headers, req.rawHeaders)),
    callerKey: (caller) => caller.keyId,
    onlyListed: (caller) => caller.trustedDocumentsOnly === true,
    // Every request passes here with the operation it will run, joiners of a shared answer too:
    // the document it may run, the scope its type needs, and the tenants its headers choose.
    authorize: (caller, operation, req) =>
      asHttpRefusal(async () => {
        requireTrustedDocument(caller, operation);
        requireScope(caller, operation.type === 'query' ? 'read' : 'write');
        resolveRequestTenant(req.headers, upstreams, caller);
      }),
    ...(queryKinds === undefined
      ? {}
      : {
          coalescing: {
            kinds: queryKinds,
            flights: new QueryCoalescing({ epoch: () => queryKinds.epoch }),
            onCoalesced({ requestId, leaderRequestId, operationName, status, durationMs, keyId }) {
              logger.info(
                { requestId, operationName, operationType: 'query', durationMs: Math.round(durationMs * 10) / 10, upstreamCalls: 0, outcome: 'success', errorCodes: [], status, coalesced: true, leaderRequestId, ...(keyId === undefined ? {} : { keyId }) },
                'graphql request',
              );
              metrics.observeGraphQLRequest({ operationName, outcome: 'success', durationMs });
              metrics.observeCoalesced();
            },
          },
        }),
    run: (requestId, execute, req) => traceRequest(req, requestId, () => counter.run(requestId, execute)),
    ...(config.compression.enabled ? { compression: { minBytes: config.compression.minBytes } } : {}),
    context: ({ req, requestId, caller, operation }) =>
      asHttpRefusal(async () => {
        const upstreamCalls = counter.countOf(requestId);
        const context = createContext({
          headers: req.headers,
          upstreams,
          caller,
          requestId,
          idempotency,
          queryLimits: config.queryLimits,
          observeBatch: (loader, size) => metrics.observeBatch(loader, size),
        });
        // The request's vendor-call budget, enforced as each call starts (counter.admit).
        if (upstreamCalls) upstreamCalls.maxCalls = context.limits.maxVendorCalls;
        // Whose line the request's vendor calls wait in at each tenant's limiter (fair-queue.ts).
        if (upstreamCalls) upstreamCalls.caller = caller.keyId;
        const decision = { type: operation.type, operationName: operation.operationName, rootFields: operation.rootFields };
        return { ...context, operation: decision, ...(upstreamCalls ? { upstreamCalls } : {}) };
      }),
    onRefused({ requestId, status, code, durationMs, keyId, operation, error }) {
      logger.info({ requestId, status, errorCodes: [code], upstreamCalls: 0, durationMs: Math.round(durationMs * 10) / 10 }, 'graphql request refused');
      metrics.observeGraphQLRequest({ operationName: null, outcome: 'error', durationMs });
      if (!REFUSAL_CODES.has(code)) return;
      // A trusted-documents caller's own document is never named, not even in this line.
      const named = code === 'OPERATION_NOT_ALLOWLISTED' ? undefined : operation;
      const who = { requestId, keyId: keyId ?? null, tenant: null };
      logSecurityRefusal(logger, { ...who, operation: named?.rootFields.join(',') ?? null, path: null, code, reason: gatewayErrorIn(error)?.message ?? code });
      if (named?.type === 'mutation') auditDenied(logger, who, named.rootFields, code);
    },
  });
  // Stacks bounded per kind of error: an outage fails a probe every round, a bug every request.
  const repeatedErrors = new RepeatedErrorLog(logger);
  const routes = [
    createHealthHandler({
      probes: { ...readinessProbes(upstreams), ...(redisStore === undefined ? {} : { redis: redisProbe(redisStore, sharedState) }) },
      // Without Redis reads go on (on this replica's share of each vendor budget) and writes with
      // a clientMutationId are refused as retryable: reported, but no reason to take the gateway
      // out of rotation.
      advisory: ['redis'],
      ...(sharedState === undefined ? {} : { warnings: () => sharedState.setupWarnings() }),
      cacheMs: config.server.readinessCacheMs,
      onProbeFailure: (name, error) => repeatedErrors.log('warn', { upstream: name }, error, 'readiness probe failed', name),
    }),
    metricsHandler(metrics),
    ...(options.graphiql === false ? [] : [createGraphiQLHandler({ ...options.graphiql, endpoint: '/graphql' })]),
  ];

  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const requestId = requestIdFrom(readHeader(req.headers, 'x-request-id'));
    res.setHeader('x-request-id', requestId);
    try {
      if (routes.some((route) => route(req, res))) return;
      if (graphql(req, res, requestId)) return;
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message: 'Not found: GraphQL is at /graphql', extensions: { code: 'NOT_FOUND' } }] }));
    } catch (error) {
      repeatedErrors.error({ requestId }, error, 'request handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    }
  });

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    upstreams,
    metrics,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.server.port, config.server.host, () => {
          httpServer.off('error', reject);
          const { address, port } = httpServer.address() as AddressInfo;
          resolve(`http://${address.includes(':') ? `[${address}]` : address}:${port}`);
        });
      }),
    close: () =>
      (closing ??= (async () => {
        // The drain plugin closes the listener, lets in-flight requests finish, then cuts the rest.
        await server.apollo.stop();
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        upstreams.close();
        await opened.close();
        await sharedState?.close();
        // Last: the spans of the requests drained above are sent before the process goes.
        await tracing?.shutdown();
      })()),
  };
}

/** The shared idempotency store, and the connection of the shared budgets, answer a PING. */
function redisProbe(store: RedisIdempotencyStore, sharedState: SharedState | undefined): () => Promise<void> {
  return async () => {
    if (!(await store.ping())) throw Object.assign(new Error('Redis did not answer a PING'), { code: 'IDEMPOTENCY_STORE_UNAVAILABLE' });
    if (sharedState !== undefined && !(await sharedState.ping())) {
      throw Object.assign(new Error("Redis did not answer a PING: vendor budgets are this replica's share"), { code: 'SHARED_BUDGET_LOCAL' });
    }
  };
}

/**
 * Budgets, tokens and vendor lists shared with the other replicas, when `INTERLINK_REDIS_URL` is
 * set. Waits briefly for the connection, so the first calls spend the shared budget; a replica
 * whose Redis is down starts anyway, on its share of each budget.
 */
async function connectSharedState(config: Config, metrics: Metrics, logger: Logger): Promise<SharedState | undefined> {
  const redisUrl = config.idempotency.redisUrl;
  if (redisUrl === undefined) return undefined;
  const { replicas, tokenKey } = config.sharedState;
  const sharedState = createSharedState({
    redisUrl,
    replicas,
    tokenKey,
    onBudgetWait: metrics.onBudgetWait,
    onLockWait: metrics.onLockWait,
    onCacheRead: metrics.onCacheRead,
    onRedisError: (part) => metrics.onRedisError(part),
  });
  if (!sharedState.sharesTokens) logger.warn('INTERLINK_SHARED_TOKEN_KEY is not set: each replica fetches its own vendor tokens (they are shared only encrypted)');
  if (!(await sharedState.connected(2_000))) {
    logger.warn(`Redis did not answer at start: vendor budgets are this replica's share (limits / ${replicas}) until it does`);
    return sharedState;
  }
  for (const warning of await sharedState.setupWarnings().catch(() => [])) logger.warn({ code: warning }, SETUP_WARNINGS[warning]);
  return sharedState;
}

/** What each Redis setup warning means for the operator, logged at start (`/readyz` lists the codes). */
const SETUP_WARNINGS: Record<RedisSetupWarning, string> = {
  REDIS_NOT_PERSISTENT: 'Redis keeps nothing on disk (appendonly no, no save points): a Redis restart forgets every clientMutationId record, so a replay after it may write again; turn on AOF or RDB',
  SHARED_TOKEN_KEY_MISMATCH: "replicas on this Redis announce different INTERLINK_SHARED_TOKEN_KEY values: they cannot read each other's shared tokens; give every replica the same key",
};

/** A refusal as Apollo answers it (`extensions.http.status`: 401, 403); anything else as it is. */
async function asHttpRefusal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GatewayError) throw httpGraphQLError(error);
    throw error;
  }
}
