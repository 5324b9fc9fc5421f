import type { RequestEnv, SandboxRequest, SandboxResponse } from '../core/types.js';
import { readEntityHeader } from './entity-header.js';
import { ZuoraCode } from './error-codes.js';
import { authenticationError, failure } from './responses.js';
import type { ClientAccess, TenantState } from './tenant-state.js';
import { bearerToken, type TokenStore } from './token-store.js';

/** Who a `/v1` call acts for: the OAuth client and the acting entity. */
export interface Caller {
  client: ClientAccess;
  tenant: TenantState;
  /** The acting entity, 32 hex. */
  entityId: string;
}

/**
 * Authenticates the bearer token, then picks the acting entity within the token's scope: the one
 * `Zuora-Entity-Ids` (or a legacy `entityId` or `entityName`, sent alone) names, or the token's
 * only entity. Returns the vendor's answer when either step fails.
 */
export function resolveCaller(req: SandboxRequest, env: RequestEnv, tokens: TokenStore): { caller: Caller } | { response: SandboxResponse } {
  const value = bearerToken(req.headers.authorization);
  const token = value === undefined ? undefined : tokens.lookup(value);
  if (!token || env.now >= token.expiresAt) return { response: authenticationError() };
  const { client } = token;
  const tenant = client.tenant;

  const header = readEntityHeader(req.headers);
  let entityId: string | undefined;
  switch (header.kind) {
    case 'conflict':
      return { response: failure(ZuoraCode.entityHeaderMalformed, header.message, 400) };
    case 'malformed':
      return { response: failure(ZuoraCode.entityHeaderMalformed, header.message) };
    case 'none':
      if (token.entityIds.length > 1) {
        const message = 'this token covers several entities; send Zuora-Entity-Ids to choose one';
        return { response: failure(ZuoraCode.entityHeaderMissing, message) };
      }
      entityId = token.entityIds[0];
      break;
    case 'id':
      entityId = header.entityId;
      break;
    case 'name':
      entityId = tenant.entityByName(header.name)?.id;
      break;
  }
  // The scope is fixed at issue time, but an entity may have been deleted since.
  if (entityId === undefined || !token.entityIds.includes(entityId) || !tenant.entities.has(entityId)) {
    return { response: failure(ZuoraCode.entityOutsideScope, 'the requested entity is not accessible with this token') };
  }
  return { caller: { client, tenant, entityId } };
}

export function isAdminOf(caller: Caller, entityId: string): boolean {
  return caller.client.grants.get(entityId) === true;
}

/** A global admin is an admin acting as the root entity. */
export function isGlobalAdmin(caller: Caller): boolean {
  return caller.entityId === caller.tenant.rootId && isAdminOf(caller, caller.entityId);
}
