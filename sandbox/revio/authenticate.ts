import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxResponse } from '../core/types.js';
import { appError, gatewayError } from './responses.js';
import type { RevioClient, RevioState, RevioUser } from './revio-state.js';

export const SUBSCRIPTION_KEY_HEADER = 'ocp-apim-subscription-key';

export type AuthResult = { ok: true; client: RevioClient; user: RevioUser } | { ok: false; response: SandboxResponse };

/** Basic 401s name the scheme, as an ASP.NET Basic handler does. */
const CHALLENGE = { 'www-authenticate': 'Basic realm="Rev.io"' };

/** The client a subscription key belongs to; the gateway's view of the tenant. */
export function clientOfKey(headers: IncomingHttpHeaders, state: RevioState): RevioClient | undefined {
  const key = headers[SUBSCRIPTION_KEY_HEADER];
  return typeof key === 'string' ? state.clientsByKey.get(key) : undefined;
}

/**
 * Two gates, in the order the vendor stacks them: the API gateway (Azure APIM) checks the
 * subscription key (gateway body), then the application checks Basic credentials, whose client
 * code must be the key's client (application body). Roles are checked later, per route.
 */
export function authenticate(headers: IncomingHttpHeaders, state: RevioState): AuthResult {
  const key = headers[SUBSCRIPTION_KEY_HEADER];
  if (key === undefined || key === '') {
    return { ok: false, response: gatewayError(401, 'Access denied: the Ocp-Apim-Subscription-Key header is missing.') };
  }
  const client = clientOfKey(headers, state);
  if (!client) return { ok: false, response: gatewayError(401, 'Access denied: the subscription key is not valid.') };

  const credentials = parseBasic(headers.authorization);
  if (typeof credentials === 'string') return unauthorized(credentials);
  if (credentials.clientCode.toLowerCase() !== client.clientCode.toLowerCase()) {
    return unauthorized(`Client code "${credentials.clientCode}" does not match the subscription key's client.`);
  }
  const user = client.users.get(credentials.login.toLowerCase());
  if (!user || user.password !== credentials.password) return unauthorized('Invalid login or password.');
  return { ok: true, client, user };
}

/** `Basic base64("<login>@<clientcode>:<password>")`; a string result says what was wrong. */
function parseBasic(header: string | undefined): { login: string; clientCode: string; password: string } | string {
  if (header === undefined || header === '') return 'Authorization header with Basic credentials is required.';
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) return 'Authorization must be Basic credentials: base64 of "<login>@<clientcode>:<password>".';
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return 'Basic credentials must be "<login>@<clientcode>:<password>".';
  const userName = decoded.slice(0, colon);
  // The client code follows the last '@'; a login holding '@' (an email address) is simply unknown.
  const at = userName.lastIndexOf('@');
  if (at <= 0 || at === userName.length - 1) return 'Basic user name must be "<login>@<clientcode>".';
  return { login: userName.slice(0, at), clientCode: userName.slice(at + 1), password: decoded.slice(colon + 1) };
}

function unauthorized(message: string): AuthResult {
  return { ok: false, response: appError(401, message, undefined, CHALLENGE) };
}
