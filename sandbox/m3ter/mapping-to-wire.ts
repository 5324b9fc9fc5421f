import type { M3terMappingRecord } from '../fixtures/types.js';

/** A mapping as m3ter sends it; `integrationConfigId` is left out when the mapping has none. */
export function mappingToWire(record: M3terMappingRecord): M3terMappingRecord {
  const wire: M3terMappingRecord = {
    id: record.id,
    version: record.version,
    m3terEntity: record.m3terEntity,
    m3terId: record.m3terId,
    externalSystem: record.externalSystem,
    externalTable: record.externalTable,
    externalId: record.externalId,
    dtCreated: record.dtCreated,
    dtLastModified: record.dtLastModified,
    createdBy: record.createdBy,
    lastModifiedBy: record.lastModifiedBy,
  };
  if (record.integrationConfigId !== undefined) wire.integrationConfigId = record.integrationConfigId;
  return wire;
}
