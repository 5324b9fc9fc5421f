import type { Router } from '../core/router.js';
import { orgRoute, type OrgRouteHandler } from './authorize.js';
import type { M3terState } from './m3ter-state.js';
import { ok } from './responses.js';

const BASE = '/organizations/{orgId}/externalmappingconfiguration';

/** `GET …/externalmappingconfiguration` and `GET …/externalmappingconfiguration/values/…`. */
export function addConfigurationRoutes(router: Router, state: M3terState): void {
  router
    .on('GET', BASE, orgRoute(state, configuration))
    .on('GET', `${BASE}/values/{destination}/{entityType}`, orgRoute(state, externalValues))
    .on('GET', `${BASE}/values/{destination}/{entityType}/{integrationCredentialsId}`, orgRoute(state, externalValues));
}

/** The org's permitted m3ter entities and external systems. */
const configuration: OrgRouteHandler = ({ org }) => {
  const { m3terEntities, externalSystems } = org.configuration;
  return ok({
    m3terEntities: [...m3terEntities],
    externalSystems: externalSystems.map((system) => ({
      name: system.name,
      tables: [...system.tables],
      allowCustomExternalTables: system.allowCustomExternalTables,
    })),
  });
};

/** An external system's values: the sandbox knows no external records, so always `[]`. */
const externalValues: OrgRouteHandler = () => ok([]);
