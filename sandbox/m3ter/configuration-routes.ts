import type { Router } from '../core/router.js';
import { orgRoute, type OrgRouteHandler } from './authorize.js';
import type { M3terState } from './m3ter-state.js';
import { ok } from './responses.js';

const BASE = '/organizations/{orgId}/externalmappingconfiguration';

/** Rows 8 and 9 of CONTRACTS §2.2. */
export function addConfigurationRoutes(router: Router, state: M3terState): void {
  router
    .on('GET', BASE, orgRoute(state, configuration))
    .on('GET', `${BASE}/values/{destination}/{entityType}`, orgRoute(state, externalValues))
    .on('GET', `${BASE}/values/{destination}/{entityType}/{integrationCredentialsId}`, orgRoute(state, externalValues));
}

/** Row 8: the org's permitted m3ter entities and external systems. */
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

/** Row 9: the sandbox knows no records of external systems, so always `[]` (CONTRACTS §2.2). */
const externalValues: OrgRouteHandler = () => ok([]);
