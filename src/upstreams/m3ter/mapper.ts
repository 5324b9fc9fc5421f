/**
 * m3ter records → domain models (`src/models.ts`). Pure, and the only place m3ter's field names
 * meet ours. Ids and names pass through exactly as m3ter wrote them (no trimming, no case
 * changes): `Salesforce` and `salesforce` are different systems to m3ter's exact filters.
 * Optional fields read defensively: absent, null, "" or of the wrong type all become null.
 */
import type { M3terLink, MappingConfiguration } from '../../models.js';
import type { M3terMapping, M3terMappingConfiguration } from './m3ter-types.js';

/** The `internal.system` of every m3ter link: the mapping's m3ter side. */
export const M3TER_SYSTEM = 'm3ter';

/** A mapping of org `orgId` (the record does not name its org) as an `ExternalLink`. */
export function externalLinkFromMapping(mapping: M3terMapping, orgId: string): M3terLink {
  return {
    provider: 'M3TER',
    nativeId: mapping.id,
    tenant: orgId,
    internal: { system: M3TER_SYSTEM, type: mapping.m3terEntity, id: mapping.m3terId },
    external: { system: mapping.externalSystem, type: mapping.externalTable, id: mapping.externalId },
    version: integerOrNull(mapping.version),
    createdAt: textOrNull(mapping.dtCreated),
    updatedAt: textOrNull(mapping.dtLastModified),
    createdBy: textOrNull(mapping.createdBy),
    updatedBy: textOrNull(mapping.lastModifiedBy),
    integrationConfigId: textOrNull(mapping.integrationConfigId),
  };
}

/**
 * The org's mapping configuration (`GET /externalmappingconfiguration`) as a `MappingConfiguration`. `tables` and `allowCustomExternalTables` are optional in
 * m3ter's spec: absent means no listed tables and no custom ones. Systems without a name and
 * entities that are not strings are dropped rather than invented.
 */
export function mappingConfigurationFrom(configuration: M3terMappingConfiguration): MappingConfiguration {
  const systems = Array.isArray(configuration.externalSystems) ? configuration.externalSystems : [];
  return {
    m3terEntities: strings(configuration.m3terEntities),
    externalSystems: systems
      .filter((system) => typeof system?.name === 'string' && system.name !== '')
      .map((system) => ({
        name: system.name,
        tables: strings(system.tables),
        allowCustomExternalTables: system.allowCustomExternalTables === true,
      })),
  };
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `version` is int64 in the spec; a JSON number that is not a safe integer cannot be trusted. */
function integerOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}
