import { timingSafeEqual } from 'node:crypto';
import type { RouteHandler } from '../core/router.js';
import type { SandboxRequest } from '../core/types.js';
import type { M3terState } from './m3ter-state.js';
import { failed, m3terError, ok, shown, type Outcome } from './responses.js';

/** m3ter's documented lifetime: 5 hours (`expires_in: 18000`). */
const DEFAULT_LIFETIME_S = 18_000;

/**
 * `POST /oauth/token`: client credentials in a Basic header, grant type in a JSON or form body.
 * Credentials are checked before the body, as an OAuth server authenticates the client first.
 */
export function tokenRoute(state: M3terState): RouteHandler {
  return (req, _params, env) => {
    const credentials = basicCredentials(req.headers.authorization);
    const key = credentials && state.accessKey(credentials.user);
    if (!credentials || !key || !sameSecret(key.apiSecret, credentials.password)) {
      return m3terError(401, 'Unauthorized: unknown access key id or wrong api secret');
    }
    const grant = grantType(req);
    if (!grant.ok) return grant.response;

    const lifetimeS = env.tokenLifetimeS ?? DEFAULT_LIFETIME_S;
    const token = state.tokens.issue(
      { orgId: key.orgId, serviceUserId: key.serviceUserId, expiresAtMs: env.now + lifetimeS * 1000 },
      env.now,
    );
    // `scope: null` is what m3ter sends, though its spec types scope as a string.
    return ok({ token_type: 'Bearer', access_token: token, expires_in: lifetimeS, scope: null });
  };
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A form body when the content type says so; JSON otherwise (the SDKs send JSON). Only
 * `client_credentials` is accepted; `scope` is allowed and ignored, as m3ter ignores it.
 */
function grantType(req: SandboxRequest): Outcome<'client_credentials'> {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  let values: unknown[];
  if (contentType.includes('application/x-www-form-urlencoded')) {
    values = new URLSearchParams(req.body.toString('utf8')).getAll('grant_type');
  } else {
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return failed(400, 'request body must be JSON {"grant_type":"client_credentials"} or the form equivalent');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return failed(400, 'request body must be a JSON object');
    const grant = (body as Record<string, unknown>).grant_type;
    values = grant === undefined ? [] : [grant];
  }
  if (values.length === 0) return failed(400, 'grant_type is required');
  if (values.length > 1 || values[0] !== 'client_credentials') {
    return failed(400, `grant_type must be "client_credentials", got ${shown(values.length > 1 ? values : values[0])}`);
  }
  return { ok: true, value: 'client_credentials' };
}
