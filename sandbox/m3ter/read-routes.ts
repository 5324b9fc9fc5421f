import type { Router } from '../core/router.js';
import { orgRoute, type OrgRouteHandler } from './authorize.js';
import type { M3terState } from './m3ter-state.js';
import { mappingToWire } from './mapping-to-wire.js';
import { queryFingerprint } from './next-token.js';
import { pageBody, parsePageRequest, singleParam } from './page-request.js';
import { m3terError, ok, shown } from './responses.js';

const BASE = '/organizations/{orgId}/externalmappings';

/** Every read of mappings: the list, one by id, by external record, by m3ter object. */
export function addReadRoutes(router: Router, state: M3terState): void {
  router
    .on('GET', BASE, orgRoute(state, listMappings))
    .on('GET', `${BASE}/{id}`, orgRoute(state, getMapping))
    .on('GET', `${BASE}/externalid/{system}/{externalTable}/{externalId}`, orgRoute(state, mappingsOfExternalRecord))
    .on('GET', `${BASE}/external/{entity}/{m3terId}`, orgRoute(state, mappingsOfM3terObject));
}

/**
 * `GET /externalmappings`. Filters are exact and case-sensitive; `m3terIds` repeats, every other
 * parameter may appear once.
 */
const listMappings: OrgRouteHandler = ({ org }, req) => {
  const system = singleParam(req.query, 'externalSystemId');
  if (!system.ok) return system.response;
  const configId = singleParam(req.query, 'integrationConfigId');
  if (!configId.ok) return configId.response;
  const idValues = req.query.getAll('m3terIds');
  // One id per value: a comma is part of the id, as m3ter has clients repeat the parameter.
  const m3terIds = idValues.length > 0 ? [...new Set(idValues)].sort() : undefined;

  const fingerprint = queryFingerprint(org.orgId, 'list', [JSON.stringify([system.value ?? null, configId.value ?? null, m3terIds ?? null])]);
  const page = parsePageRequest(req, fingerprint);
  if (!page.ok) return page.response;
  const { pageSize, after } = page.value;
  const filters = { externalSystem: system.value, integrationConfigId: configId.value, m3terIds };
  return ok(pageBody(org.mappings.list(filters, after, pageSize + 1), pageSize, fingerprint));
};

/** `GET /externalmappings/{id}`. */
const getMapping: OrgRouteHandler = ({ org }, _req, params) => {
  const item = org.mappings.get(params.id as string);
  return item ? ok(mappingToWire(item.data)) : m3terError(404, `External Mapping ${shown(params.id)} not found`);
};

/**
 * `GET …/externalid/{system}/{externalTable}/{externalId}`: path segments arrive percent-decoded,
 * so external ids may hold `/`, spaces and the like.
 */
const mappingsOfExternalRecord: OrgRouteHandler = ({ org }, req, params) => {
  const { system, externalTable, externalId } = params as Record<'system' | 'externalTable' | 'externalId', string>;
  const fingerprint = queryFingerprint(org.orgId, 'externalid', [system, externalTable, externalId]);
  const page = parsePageRequest(req, fingerprint);
  if (!page.ok) return page.response;
  const { pageSize, after } = page.value;
  return ok(pageBody(org.mappings.forExternalRecord(system, externalTable, externalId, after, pageSize + 1), pageSize, fingerprint));
};

/** `GET …/external/{entity}/{m3terId}` (`/external/…`, not `/entity/…`). */
const mappingsOfM3terObject: OrgRouteHandler = ({ org }, req, params) => {
  const { entity, m3terId } = params as Record<'entity' | 'm3terId', string>;
  const fingerprint = queryFingerprint(org.orgId, 'external', [entity, m3terId]);
  const page = parsePageRequest(req, fingerprint);
  if (!page.ok) return page.response;
  const { pageSize, after } = page.value;
  return ok(pageBody(org.mappings.forM3terObject(entity, m3terId, after, pageSize + 1), pageSize, fingerprint));
};
