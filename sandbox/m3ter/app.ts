import { Router } from '../core/router.js';
import type { InjectedFailure, SandboxRequest, SandboxResponse, VendorApp } from '../core/types.js';
import type { M3terOrgFixture } from '../fixtures/types.js';
import { authorize } from './authorize.js';
import { addConfigurationRoutes } from './configuration-routes.js';
import { M3terState } from './m3ter-state.js';
import { addReadRoutes } from './read-routes.js';
import { m3terError } from './responses.js';
import { tokenRoute } from './token-route.js';
import { addWriteRoutes } from './write-routes.js';

const ORG_PREFIX = '/organizations/';

/** The m3ter External Mappings simulator: the token call, then mappings and their configuration per org. */
export function createM3terApp(fixtures: { orgs: M3terOrgFixture[] }): VendorApp {
  const state = new M3terState(fixtures);
  const router = new Router().on('POST', '/oauth/token', tokenRoute(state));
  addReadRoutes(router, state);
  addWriteRoutes(router, state);
  addConfigurationRoutes(router, state);

  return {
    vendor: 'm3ter',
    tenantOf: orgSegment,
    handle(req, env) {
      const match = router.match(req.method, req.path);
      if (match?.found) return match.handler(req, match.params, env);
      // Under /organizations/ the caller is authenticated before learning whether a path exists.
      if (req.path.startsWith(ORG_PREFIX)) {
        const caller = authorize(state, req, orgSegment(req), env);
        if (!('org' in caller)) return caller;
      }
      if (!match) return m3terError(400, 'Bad Request: the path holds malformed percent-encoding');
      if (match.allowed.length > 0) {
        return m3terError(405, `Method Not Allowed: use ${match.allowed.join(' or ')}`, { allow: match.allowed.join(', ') });
      }
      return m3terError(404, `Not Found: no route ${req.method} ${req.path.slice(0, 200)}`);
    },
    failureResponse,
    reset: () => state.reset(),
    forgetTokens: () => state.tokens.clear(),
  };
}

/** The `{orgId}` of `/organizations/{orgId}/…`; the token call and unknown paths have no tenant. */
function orgSegment(req: SandboxRequest): string | undefined {
  const { path } = req;
  if (!path.startsWith(ORG_PREFIX)) return undefined;
  const end = path.indexOf('/', ORG_PREFIX.length);
  const segment = end === -1 ? path.slice(ORG_PREFIX.length) : path.slice(ORG_PREFIX.length, end);
  if (segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const SERVER_ERROR_MESSAGES = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
} as const;

/** Injected failures in m3ter's shape; m3ter sends no Retry-After unless a fault asks for one. */
function failureResponse(failure: InjectedFailure): SandboxResponse {
  switch (failure.kind) {
    case 'server-error':
      return m3terError(failure.status, SERVER_ERROR_MESSAGES[failure.status]);
    // m3ter documents no separate quota answer: the per-org and per-IP limits both come back as a 429.
    case 'rate-limited':
    case 'quota-exhausted':
      return failure.retryAfterS === undefined
        ? m3terError(429, 'Too Many Requests')
        : m3terError(429, 'Too Many Requests', { 'retry-after': String(failure.retryAfterS) });
    default:
      return unreachable(failure);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled injected failure ${JSON.stringify(value)}`);
}
