import type { ZuoraConnectionRecord } from '../fixtures/types.js';
import { parsePage, parsePageSize } from './connection-paging.js';
import { ZuoraCode } from './error-codes.js';
import { failure, ok } from './responses.js';
import type { ConnectionDirection } from './tenant-state.js';
import type { ZuoraOperation } from './zuora-call.js';

/**
 * `GET /v1/entity-connections`: the acting entity's connections, both directions unless `type`
 * says otherwise, Disconnected included, oldest first. `nextPage` appears only if rows remain.
 */
export const listConnections: ZuoraOperation = ({ caller, req, env }) => {
  const type = req.query.get('type');
  let direction: ConnectionDirection = 'both';
  if (type !== null) {
    const value = type.toLowerCase();
    if (value !== 'inbound' && value !== 'outbound') return failure(ZuoraCode.badQueryParameter, `type must be inbound or outbound, got "${type}"`);
    direction = value;
  }
  const page = parsePage(req.query.get('page'));
  if (page === undefined) return failure(ZuoraCode.badQueryParameter, `page must be a positive integer, got "${req.query.get('page')}"`);
  const pageSize = parsePageSize(req.query.get('pageSize'));

  const rows = caller.tenant.connectionsOf(caller.entityId, direction);
  const start = (page - 1) * pageSize;
  const entityConnections = start >= rows.length ? [] : rows.slice(start, start + pageSize).map(connectionBody);
  if (start + pageSize >= rows.length) return ok({ entityConnections });
  const next = new URLSearchParams({ page: String(page + 1), pageSize: String(pageSize) });
  if (direction !== 'both') next.set('type', direction);
  return ok({ entityConnections, nextPage: `${env.baseUrl}/v1/entity-connections?${next}` });
};

function connectionBody(connection: ZuoraConnectionRecord): Record<string, unknown> {
  return {
    id: connection.id,
    sourceEntityId: connection.sourceEntityId,
    targetEntityId: connection.targetEntityId,
    status: connection.status,
  };
}
