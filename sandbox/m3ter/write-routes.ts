import { randomUUID } from 'node:crypto';
import type { Router } from '../core/router.js';
import type { SandboxResponse } from '../core/types.js';
import type { M3terMappingRecord } from '../fixtures/types.js';
import { orgRoute, type OrgCaller, type OrgRouteHandler } from './authorize.js';
import type { M3terState } from './m3ter-state.js';
import { parseMappingRequest, type MappingRequest } from './mapping-request.js';
import { mappingToWire } from './mapping-to-wire.js';
import type { StoredMapping } from './newest-first.js';
import { m3terError, ok, shown } from './responses.js';

const BASE = '/organizations/{orgId}/externalmappings';

/** Mapping writes: create, update and delete. */
export function addWriteRoutes(router: Router, state: M3terState): void {
  router
    .on('POST', BASE, orgRoute(state, createMapping))
    .on('PUT', `${BASE}/{id}`, orgRoute(state, updateMapping))
    .on('DELETE', `${BASE}/{id}`, orgRoute(state, deleteMapping));
}

/** `POST /externalmappings`: answers 200 (not 201) with the new mapping at version 1. */
const createMapping: OrgRouteHandler = (caller, req, _params, env) => {
  const parsed = parseMappingRequest(req);
  if (!parsed.ok) return parsed.response;
  const request = parsed.value;
  if (request.version !== undefined) return m3terError(400, `version mismatch: leave version out when creating, got ${request.version}`);
  const refused = refusal(caller, request);
  if (refused) return refused;

  const at = new Date(env.now).toISOString();
  const record = withIdentity(request, {
    id: randomUUID(),
    version: 1,
    dtCreated: at,
    dtLastModified: at,
    createdBy: caller.serviceUserId,
    lastModifiedBy: caller.serviceUserId,
  });
  caller.org.mappings.insert(record);
  return ok(mappingToWire(record));
};

/** `PUT /externalmappings/{id}`: a full replacement carrying the stored version; answers version + 1. */
const updateMapping: OrgRouteHandler = (caller, req, params, env) => {
  const item = caller.org.mappings.get(params.id as string);
  if (!item) return notFound(params.id);
  const parsed = parseMappingRequest(req);
  if (!parsed.ok) return parsed.response;
  const request = parsed.value;
  const current = item.data.version;
  if (request.version !== current) {
    const sent = request.version === undefined ? 'no version' : `version ${request.version}`;
    return m3terError(400, `version mismatch: the mapping is at version ${current}, the request sent ${sent}`);
  }
  const refused = refusal(caller, request, item);
  if (refused) return refused;

  const record = withIdentity(request, {
    id: item.id,
    version: current + 1,
    dtCreated: item.data.dtCreated,
    dtLastModified: new Date(env.now).toISOString(),
    createdBy: item.data.createdBy,
    lastModifiedBy: caller.serviceUserId,
  });
  caller.org.mappings.replace(item, record);
  return ok(mappingToWire(record));
};

/** `DELETE /externalmappings/{id}`: answers with the mapping as it was before deletion. */
const deleteMapping: OrgRouteHandler = ({ org }, _req, params) => {
  const item = org.mappings.get(params.id as string);
  if (!item) return notFound(params.id);
  org.mappings.remove(item);
  return ok(mappingToWire(item.data));
};

/** The org-level rules: a configured m3terEntity (m3terId is not checked), and no exact duplicate. */
function refusal({ org }: OrgCaller, request: MappingRequest, self?: StoredMapping): SandboxResponse | undefined {
  if (!org.configuration.m3terEntities.includes(request.m3terEntity)) {
    return m3terError(400, `m3terEntity must be one of the configured entities (${org.configuration.m3terEntities.join(', ')}), got ${shown(request.m3terEntity)}`);
  }
  const same = org.mappings.findSame(request, self);
  if (same) return m3terError(400, `an External Mapping with the same m3terEntity, m3terId, externalSystem, externalTable and externalId already exists: ${same.id}`);
  return undefined;
}

function withIdentity(
  request: MappingRequest,
  audit: Pick<M3terMappingRecord, 'id' | 'version' | 'dtCreated' | 'dtLastModified' | 'createdBy' | 'lastModifiedBy'>,
): M3terMappingRecord {
  const record: M3terMappingRecord = {
    ...audit,
    m3terEntity: request.m3terEntity,
    m3terId: request.m3terId,
    externalSystem: request.externalSystem,
    externalTable: request.externalTable,
    externalId: request.externalId,
  };
  if (request.integrationConfigId !== undefined) record.integrationConfigId = request.integrationConfigId;
  return record;
}

function notFound(id: string | undefined): SandboxResponse {
  return m3terError(404, `External Mapping ${shown(id)} not found`);
}
