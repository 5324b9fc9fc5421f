import { Router, type RouteHandler } from '../core/router.js';
import type { InjectedFailure, SandboxRequest, SandboxResponse, VendorApp } from '../core/types.js';
import type { RevioFixtures } from '../fixtures/types.js';
import { authenticate, clientOfKey } from './authenticate.js';
import { getEntityType, getSystem, listEntityTypes, listSystems } from './catalog-operations.js';
import { createKeyLink, deleteKeyLink, getKeyLink, listKeyLinks, replaceKeyLink } from './key-link-operations.js';
import type { Operation } from './operation.js';
import { appError, gatewayError } from './responses.js';
import { createRevioState, type RevioUser } from './revio-state.js';

/**
 * The Rev.io Integration Linking simulator: systems, entity types and key
 * links, behind a subscription-key gateway and Basic auth, one database per client code.
 */
export function createRevioApp(fixtures: RevioFixtures): VendorApp {
  let state = createRevioState(fixtures);

  // The core router only resolves paths; operations also need the authenticated caller, so each
  // route's handler is a key into this table rather than something called directly.
  const operations = new Map<RouteHandler, Operation>();
  const router = new Router({ caseInsensitive: true });
  const on = (method: string, template: string, operation: Operation) => {
    const key: RouteHandler = () => {
      throw new Error(`${method} ${template} must run through its operation`);
    };
    operations.set(key, operation);
    router.on(method, template, key);
  };
  on('GET', '/v1/IntegrationSystem', listSystems);
  on('GET', '/v1/IntegrationSystem/{id}', getSystem);
  on('GET', '/v1/IntegrationEntityType', listEntityTypes);
  on('GET', '/v1/IntegrationEntityType/{id}', getEntityType);
  on('GET', '/v1/IntegrationKeyLink', listKeyLinks);
  on('POST', '/v1/IntegrationKeyLink', createKeyLink);
  on('GET', '/v1/IntegrationKeyLink/{id}', getKeyLink);
  on('PUT', '/v1/IntegrationKeyLink/{id}', replaceKeyLink);
  on('DELETE', '/v1/IntegrationKeyLink/{id}', deleteKeyLink);

  return {
    vendor: 'revio',
    // Limits are counted per subscription key, and each key belongs to one client code.
    tenantOf: (req) => clientOfKey(req.headers, state)?.clientCode,
    handle(req, env): SandboxResponse {
      // Credentials come first, as the gateway checks them before anything reaches the API.
      const auth = authenticate(req.headers, state);
      if (!auth.ok) return auth.response;
      const match = router.match(req.method, req.path);
      if (!match) return appError(400, 'The request path has malformed percent-encoding.');
      if (!match.found) {
        if (match.allowed.length === 0) return appError(404, `No resource at ${req.path}.`);
        const allow = match.allowed.join(', ');
        return appError(405, `${req.method} is not supported here; allowed: ${allow}.`, undefined, { allow });
      }
      if (!roleAllows(auth.user, req)) {
        return appError(403, `User "${auth.user.login}" has a read-only role and may not ${req.method}.`);
      }
      const operation = operations.get(match.handler);
      if (!operation) throw new Error(`no operation registered for ${req.method} ${req.path}`);
      return operation({ req, params: match.params, env, state, client: auth.client, user: auth.user });
    },
    failureResponse,
    reset() {
      state = createRevioState(fixtures);
    },
    // Rev.io authenticates every call (Basic and a subscription key): no tokens to lose.
    forgetTokens: () => undefined,
  };
}

function roleAllows(user: RevioUser, req: SandboxRequest): boolean {
  const role = user.role;
  switch (role) {
    case 'read-write':
      return true;
    case 'read-only':
      return req.method === 'GET';
    default:
      throw new Error(`unhandled Rev.io role ${String(role satisfies never)}`);
  }
}

/** Injected 5xx use the application body; rate and quota answers come from the gateway. */
function failureResponse(failure: InjectedFailure): SandboxResponse {
  const kind = failure.kind;
  switch (kind) {
    case 'server-error':
      return appError(failure.status, `The server could not complete the request (HTTP ${failure.status}).`);
    case 'rate-limited':
      return gatewayError(429, `Rate limit exceeded${retryHint(failure.retryAfterS)}.`, failure.retryAfterS);
    case 'quota-exhausted':
      return gatewayError(403, `Call quota exhausted${retryHint(failure.retryAfterS)}.`, failure.retryAfterS);
    default:
      throw new Error(`unhandled failure kind ${String(kind satisfies never)}`);
  }
}

function retryHint(retryAfterS: number | undefined): string {
  return retryAfterS === undefined ? '' : `; retry in ${retryAfterS} seconds`;
}
