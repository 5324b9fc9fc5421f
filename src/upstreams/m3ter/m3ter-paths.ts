/**
 * The m3ter paths the client calls, relative to `INTERLINK_M3TER_URL` (got's `prefixUrl` wants no leading
 * slash). Every segment is percent-encoded: external ids are free text and may hold `/`, `?`,
 * `#`, `%` or spaces, and an id that reached the path raw would name another resource.
 */
import { BadUserInputError } from '../../errors.js';

export interface M3terPaths {
  mappings(): string;
  mapping(id: string): string;
  byExternalId(system: string, externalTable: string, externalId: string): string;
  /** `external`, not `entity`. */
  byM3terObject(m3terEntity: string, m3terId: string): string;
  configuration(): string;
}

export const M3TER_TOKEN_PATH = 'oauth/token';

export function m3terPaths(orgId: string): M3terPaths {
  const org = `organizations/${segment(orgId)}`;
  const mappings = `${org}/externalmappings`;
  const configuration = `${org}/externalmappingconfiguration`;
  return {
    mappings: () => mappings,
    mapping: (id) => `${mappings}/${segment(id)}`,
    byExternalId: (system, table, externalId) => `${mappings}/externalid/${segment(system)}/${segment(table)}/${segment(externalId)}`,
    byM3terObject: (entity, m3terId) => `${mappings}/external/${segment(entity)}/${segment(m3terId)}`,
    configuration: () => configuration,
  };
}

/**
 * One path segment. URL parsing resolves `.` and `..` segments away (`%2E` too, per WHATWG URL),
 * so such an id would silently address another resource: refuse it instead.
 */
function segment(value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new BadUserInputError(`an m3ter path segment must not be empty, "." or "..", got "${value}"`);
  }
  return encodeURIComponent(value);
}
