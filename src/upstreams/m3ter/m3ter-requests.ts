/**
 * Request pieces for the m3ter client: query filters under m3ter's names, create and update
 * bodies with exactly the fields m3ter takes, and page positions checked before they are sent.
 */
import { BadUserInputError } from '../../errors.js';
import type { M3terMappingCreate, M3terMappingFilters, M3terMappingUpdate } from './m3ter-types.js';
import { M3TER_PAGE_SIZE } from './paging.js';

/** A list's filters as query parameters, repeated on every page. */
export type Filters = Record<string, string | string[]>;

/** The list's query names: m3ter calls the system *name* filter `externalSystemId`. */
export function listFilters({ externalSystem, m3terIds, integrationConfigId }: M3terMappingFilters): Filters {
  const filters: Filters = {};
  if (externalSystem !== undefined) filters.externalSystemId = externalSystem;
  if (m3terIds !== undefined && m3terIds.length > 0) filters.m3terIds = [...m3terIds];
  if (integrationConfigId !== undefined) filters.integrationConfigId = integrationConfigId;
  return filters;
}

/** The create body: the five fields and `integrationConfigId`, never `version` (m3ter refuses it). */
export function createBody(mapping: M3terMappingCreate): M3terMappingCreate {
  const { m3terEntity, m3terId, externalSystem, externalTable, externalId, integrationConfigId } = mapping;
  return { m3terEntity, m3terId, externalSystem, externalTable, externalId, ...(integrationConfigId === undefined ? {} : { integrationConfigId }) };
}

export function updateBody(mapping: M3terMappingUpdate): M3terMappingUpdate {
  return { ...createBody(mapping), version: mapping.version };
}

export function pageSizeOf(pageSize: number | undefined): number {
  if (pageSize === undefined) return M3TER_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > M3TER_PAGE_SIZE) {
    throw new BadUserInputError(`m3ter pageSize must be an integer from 1 to ${M3TER_PAGE_SIZE}, got ${pageSize}`);
  }
  return pageSize;
}

/** An empty token means "first page", as m3ter's last page may carry `nextToken: ""`. */
export function nextTokenOf(nextToken: string | undefined): { nextToken?: string } {
  return nextToken === undefined || nextToken === '' ? {} : { nextToken };
}
