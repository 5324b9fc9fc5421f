import { entityBody } from './entity-fields.js';
import { ZuoraCode } from './error-codes.js';
import { failure, ok } from './responses.js';
import type { ZuoraOperation } from './zuora-call.js';

/** Zuora caps unpaged arrays at 300 rows. */
const MAX_UNPAGED_ROWS = 300;

/** `GET /v1/entities`: every entity of the tenant, optionally only (un)provisioned ones. */
export const listEntities: ZuoraOperation = ({ caller, req }) => {
  const provisioned = req.query.get('provisioned');
  let wanted: 'Provisioned' | 'Unprovisioned' | undefined;
  if (provisioned !== null) {
    // A string, not a boolean: `true` or `false`, compared case-insensitively.
    const value = provisioned.toLowerCase();
    if (value !== 'true' && value !== 'false') {
      return failure(ZuoraCode.badQueryParameter, `provisioned must be true or false, got "${provisioned}"`);
    }
    wanted = value === 'true' ? 'Provisioned' : 'Unprovisioned';
  }
  const entities: Record<string, unknown>[] = [];
  for (const entity of caller.tenant.entities.values()) {
    if (wanted !== undefined && entity.status !== wanted) continue;
    entities.push(entityBody(entity));
    if (entities.length === MAX_UNPAGED_ROWS) break;
  }
  return ok({ entities });
};

/** `GET /v1/entities/{id}`: any entity of the caller's tenant; other tenants' ids are unknown. */
export const getEntity: ZuoraOperation = ({ caller, params }) => {
  const entity = caller.tenant.entities.get((params.id ?? '').toLowerCase());
  return entity ? ok(entityBody(entity)) : failure(ZuoraCode.notFound, `no entity with id "${params.id}"`);
};
