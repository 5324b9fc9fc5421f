import { randomBytes } from 'node:crypto';
import type { RequestEnv, SandboxRequest, SandboxResponse } from '../core/types.js';
import { readEntityHeader } from './entity-header.js';
import { hyphenate } from './ids.js';
import { plainError } from './responses.js';
import type { TokenStore } from './token-store.js';
import type { ZuoraState } from './zuora-state.js';

/** Zuora's current token lifetime in seconds; `env.tokenLifetimeS` overrides it. */
export const DEFAULT_TOKEN_LIFETIME_S = 3599;

/**
 * `POST /oauth/token`: client credentials in a form-urlencoded body only (query parameters get 400).
 * The scope lists every entity the client may act as, unless an entity header narrows it to one.
 */
export function issueToken(req: SandboxRequest, env: RequestEnv, state: ZuoraState, tokens: TokenStore): SandboxResponse {
  if (req.query.has('client_id') || req.query.has('client_secret')) {
    return plainError(400, 'client_id and client_secret must be sent in a form-urlencoded body, not in the query string');
  }
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/x-www-form-urlencoded')) {
    return plainError(400, `the token request must be application/x-www-form-urlencoded, got "${contentType || 'no content type'}"`);
  }
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials') {
    return plainError(400, `grant_type must be client_credentials, got ${grantType === null ? 'none' : `"${grantType}"`}`);
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  if (!clientId || !clientSecret) return plainError(400, 'client_id and client_secret are required');

  const client = state.client(clientId);
  if (!client || client.clientSecret !== clientSecret) return plainError(401, 'Authentication error');

  let entityIds = [...client.grants.keys()];
  const header = readEntityHeader(req.headers);
  switch (header.kind) {
    case 'none':
      break;
    case 'malformed':
    case 'conflict':
      return plainError(400, header.message);
    case 'id':
    case 'name': {
      const entityId = header.kind === 'id' ? header.entityId : client.tenant.entityByName(header.name)?.id;
      if (entityId === undefined || !client.grants.has(entityId)) {
        return plainError(400, 'the entity header names an entity this client cannot access');
      }
      entityIds = [entityId];
      break;
    }
  }

  const expiresIn = env.tokenLifetimeS ?? DEFAULT_TOKEN_LIFETIME_S;
  const accessToken = tokens.issue({ client, entityIds, expiresAt: env.now + expiresIn * 1000 }, env.now);
  const scope = [
    `user.${client.userId}`,
    ...entityIds.map((id) => `entity.${hyphenate(id)}`),
    'service.echo.read',
    `tenant.${client.tenant.tenantId}`,
  ].join(' ');
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store' },
    body: { access_token: accessToken, token_type: 'bearer', expires_in: expiresIn, scope, jti: randomBytes(16).toString('hex') },
  };
}
