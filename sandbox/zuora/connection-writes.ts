import type { ZuoraConnectionRecord } from '../fixtures/types.js';
import { ZuoraCode } from './error-codes.js';
import { readJsonBody } from './read-json-body.js';
import { isAdminOf } from './resolve-caller.js';
import { failure, ok } from './responses.js';
import type { ZuoraOperation } from './zuora-call.js';

const CREATE_FIELDS = {
  targetEntityId: { required: true, check: (value: string) => (value.length <= 32 ? undefined : 'must be at most 32 characters') },
};

/**
 * `POST /v1/entity-connections`: a Pending connection from the acting entity, whose admin the
 * caller must be, to a target the caller can also access.
 */
export const createConnection: ZuoraOperation = ({ caller, req, newId }) => {
  const parsed = readJsonBody(req.body, CREATE_FIELDS);
  if ('response' in parsed) return parsed.response;
  const targetId = (parsed.values.targetEntityId as string).toLowerCase();
  const { tenant } = caller;
  const source = tenant.entities.get(caller.entityId);
  if (!source || !isAdminOf(caller, source.id)) return failure(ZuoraCode.notPermitted, 'connecting needs admin rights on the acting (source) entity');
  const target = tenant.entities.get(targetId);
  if (!target) return failure(ZuoraCode.notFound, `no entity with id "${parsed.values.targetEntityId}"`);
  if (!caller.client.grants.has(target.id)) return failure(ZuoraCode.notPermitted, 'connecting needs access to the target entity');
  if (source.id === target.id) return failure(ZuoraCode.stateConflict, 'an entity cannot connect to itself');
  if (source.status !== 'Provisioned' || target.status !== 'Provisioned') {
    return failure(ZuoraCode.stateConflict, 'both entities must be provisioned');
  }
  const open = tenant
    .connectionsOf(source.id, 'outbound')
    .some((c) => c.targetEntityId === target.id && (c.status === 'Pending' || c.status === 'Connected'));
  if (open) return failure(ZuoraCode.stateConflict, 'a pending or connected connection to this target already exists');

  const connection: ZuoraConnectionRecord = { id: newId(), sourceEntityId: source.id, targetEntityId: target.id, status: 'Pending' };
  tenant.addConnection(connection);
  return ok({ id: connection.id });
};

type Transition = 'accept' | 'deny' | 'disconnect';

/**
 * `PUT /v1/entity-connections/{connection-id}/accept|deny|disconnect`: the target accepts or denies
 * a `Pending` connection; either side disconnects a `Connected` one.
 */
export function transitionConnection(transition: Transition): ZuoraOperation {
  return ({ caller, params }) => {
    const id = (params['connection-id'] ?? '').toLowerCase();
    const connection = caller.tenant.connections.get(id);
    const isSource = connection?.sourceEntityId === caller.entityId;
    const isTarget = connection?.targetEntityId === caller.entityId;
    // A connection the acting entity is not part of does not exist as far as it can tell.
    if (!connection || (!isSource && !isTarget)) {
      return failure(ZuoraCode.notFound, `no connection with id "${params['connection-id']}" for this entity`);
    }
    if (!isAdminOf(caller, caller.entityId)) return failure(ZuoraCode.notPermitted, 'changing a connection needs admin rights on the acting entity');

    switch (transition) {
      case 'accept':
      case 'deny':
        if (!isTarget) return failure(ZuoraCode.notPermitted, `only the target entity may ${transition} a connection`);
        if (connection.status !== 'Pending') return failure(ZuoraCode.stateConflict, `only a Pending connection can be ${transition === 'accept' ? 'accepted' : 'denied'}; it is ${connection.status}`);
        connection.status = transition === 'accept' ? 'Connected' : 'Disconnected';
        return ok();
      case 'disconnect':
        if (connection.status !== 'Connected') return failure(ZuoraCode.stateConflict, `only a Connected connection can be disconnected; it is ${connection.status}`);
        connection.status = 'Disconnected';
        return ok();
    }
  };
}
