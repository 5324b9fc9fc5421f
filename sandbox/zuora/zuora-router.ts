import { Router } from '../core/router.js';
import { listConnections } from './connection-list.js';
import { createConnection, transitionConnection } from './connection-writes.js';
import { getEntity, listEntities } from './entity-reads.js';
import { createEntity, deleteEntity, provisionEntity, updateEntity } from './entity-writes.js';
import { issueToken } from './issue-token.js';
import { runOperation, type OperationDeps } from './run-operation.js';
import type { ZuoraCall, ZuoraOperation } from './zuora-call.js';
import type { ZuoraState } from './zuora-state.js';

/**
 * The entity and entity-connection routes plus the token call. The 2017 spec's
 * `/v1/users/{username}/…` calls are left out, as the gateway never makes them: they answer like
 * any unknown path.
 */
export function createZuoraRouter(deps: OperationDeps & { state: () => ZuoraState }): Router {
  const v1 = (op: ZuoraOperation) => (req: ZuoraCall['req'], params: ZuoraCall['params'], env: ZuoraCall['env']) =>
    runOperation(op, deps, req, params, env);
  return new Router()
    .on('POST', '/oauth/token', (req, _params, env) => issueToken(req, env, deps.state(), deps.tokens))
    .on('GET', '/v1/entities', v1(listEntities))
    .on('POST', '/v1/entities', v1(createEntity))
    .on('GET', '/v1/entities/{id}', v1(getEntity))
    .on('PUT', '/v1/entities/{id}', v1(updateEntity))
    .on('DELETE', '/v1/entities/{id}', v1(deleteEntity))
    .on('PUT', '/v1/entities/{id}/provision', v1(provisionEntity))
    .on('GET', '/v1/entity-connections', v1(listConnections))
    .on('POST', '/v1/entity-connections', v1(createConnection))
    .on('PUT', '/v1/entity-connections/{connection-id}/accept', v1(transitionConnection('accept')))
    .on('PUT', '/v1/entity-connections/{connection-id}/deny', v1(transitionConnection('deny')))
    .on('PUT', '/v1/entity-connections/{connection-id}/disconnect', v1(transitionConnection('disconnect')));
}
