import type { SandboxRequest } from '../core/types.js';
import { readEntityHeader } from './entity-header.js';
import { hyphenate } from './ids.js';
import { bearerToken, type TokenStore } from './token-store.js';

/**
 * The acting entity of a `/v1` call, hyphenated and lower-cased, for the core's per-entity limits
 * and the ledger: the entity header's id, else the token's only entity. Token calls and calls
 * whose entity cannot be told without an auth decision count for no entity.
 */
export function actingEntityOf(req: SandboxRequest, tokens: TokenStore): string | undefined {
  if (!req.path.startsWith('/v1/')) return undefined;
  const header = readEntityHeader(req.headers);
  switch (header.kind) {
    case 'id':
      return hyphenate(header.entityId);
    case 'malformed':
    case 'conflict':
      return undefined;
    case 'name':
    case 'none': {
      const value = bearerToken(req.headers.authorization);
      const token = value === undefined ? undefined : tokens.lookup(value);
      if (!token) return undefined;
      const entityId = header.kind === 'name' ? token.client.tenant.entityByName(header.name)?.id : token.entityIds.length === 1 ? token.entityIds[0] : undefined;
      return entityId === undefined ? undefined : hyphenate(entityId);
    }
  }
}
