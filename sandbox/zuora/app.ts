import { createRng, type Rng } from '../core/rng.js';
import type { InjectedFailure, RequestEnv, SandboxRequest, SandboxResponse, VendorApp } from '../core/types.js';
import type { ZuoraTenantFixture } from '../fixtures/types.js';
import { actingEntityOf } from './acting-entity-of.js';
import { ZuoraCode } from './error-codes.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS, IdempotencyStore } from './idempotency-store.js';
import { LimitHeaders, validTrackId } from './limit-headers.js';
import { failure, plainError } from './responses.js';
import { TokenStore } from './token-store.js';
import { reserveIdempotencyKey } from './run-operation.js';
import { createZuoraRouter } from './zuora-router.js';
import { ZuoraState } from './zuora-state.js';

export interface ZuoraAppOptions {
  /** How long an Idempotency-Key's first result is kept, in sandbox-clock ms (default 24 h). */
  idempotencyTtlMs?: number;
}

/** The Zuora Multi-entity simulator: several tenants in one server. */
export function createZuoraApp(fixtures: { tenants: ZuoraTenantFixture[] }, options: ZuoraAppOptions = {}): VendorApp {
  const seed = structuredClone(fixtures);
  let state = new ZuoraState(structuredClone(seed));
  let ids: Rng = createRng('zuora:runtime-ids');
  const tokens = new TokenStore();
  const idempotency = new IdempotencyStore(options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
  const limits = new LimitHeaders();

  // New ids come from a seeded generator, so a run after reset() creates the same ids again.
  const newId = (): string => {
    for (;;) {
      const id = ids.hex(32);
      if (!state.tenants.some((t) => t.entities.has(id) || t.connections.has(id))) return id;
    }
  };
  const deps = { tokens, idempotency, reservations: new WeakMap(), newId };
  const router = createZuoraRouter({ ...deps, state: () => state });

  const route = (req: SandboxRequest, env: RequestEnv): SandboxResponse | Promise<SandboxResponse> => {
    const match = router.match(req.method, req.path);
    if (!match) return failure(ZuoraCode.badValue, 'the request path is not validly percent-encoded', 400);
    if (match.found) return match.handler(req, match.params, env);
    if (match.allowed.length === 0) return plainError(404, `no route for ${req.method} ${req.path}`);
    const allow = { Allow: match.allowed.join(', ') };
    const message = `${req.method} is not supported here; use ${match.allowed.join(' or ')}`;
    // The token endpoint speaks `{message}`; the /v1 API its category-45 envelope.
    if (req.path.startsWith('/oauth/')) return plainError(405, message, allow);
    return { ...failure(ZuoraCode.unsupportedMethod, message, 405), headers: allow };
  };

  return {
    vendor: 'zuora',
    tenantOf: (req) => actingEntityOf(req, tokens),
    admit: (req, env) => reserveIdempotencyKey(req, env, deps),
    async handle(req, env) {
      const response = await route(req, env);
      const entity = actingEntityOf(req, tokens);
      const bucket = req.path.startsWith('/oauth/') ? ({ kind: 'auth' } as const) : ({ kind: 'api', tenant: entity ?? '' } as const);
      const trackId = validTrackId(req.headers['zuora-track-id']);
      response.headers = { ...limits.for(bucket, env.now), ...(trackId ? { 'Zuora-Track-Id': trackId } : {}), ...response.headers };
      return response;
    },
    failureResponse: (injected) => renderFailure(injected, limits),
    forgetTokens: () => tokens.clear(),
    reset() {
      state = new ZuoraState(structuredClone(seed));
      ids = createRng('zuora:runtime-ids');
      tokens.clear();
      idempotency.clear();
      limits.clear();
    },
  };
}

/** Injected 5xx answer `{message}`; rate, concurrency and quota limits a 429 envelope with code …70. */
function renderFailure(injected: InjectedFailure, limits: LimitHeaders): SandboxResponse {
  switch (injected.kind) {
    case 'server-error':
      return plainError(injected.status, SERVER_ERROR_MESSAGES[injected.status], limits.refused('none', 60));
    case 'rate-limited':
    case 'quota-exhausted': {
      const retryAfter = injected.retryAfterS;
      const headers = limits.refused(injected.limit === 'concurrency' ? 'concurrency' : 'rate', retryAfter ?? 60);
      if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
      const what = injected.limit === 'concurrency' ? 'concurrent request limit' : 'request rate limit';
      return { ...failure(ZuoraCode.limitExceeded, `the ${what} was exceeded; try again later`, 429), headers };
    }
  }
}

const SERVER_ERROR_MESSAGES: Record<500 | 502 | 503 | 504, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
