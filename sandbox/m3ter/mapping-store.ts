import type { M3terMappingRecord } from '../fixtures/types.js';
import { compositeKey, MappingIndex } from './mapping-index.js';
import {
  compareNewestFirst,
  insertSorted,
  removeSorted,
  takeAfter,
  type MappingCursor,
  type StoredMapping,
} from './newest-first.js';

/** The list filters of `GET /externalmappings`; all exact and case-sensitive. */
export interface MappingFilters {
  /** A system name such as `Salesforce` (the query parameter is `externalSystemId`). */
  externalSystem?: string;
  /** Any of these m3ter ids. */
  m3terIds?: readonly string[];
  integrationConfigId?: string;
}

/** The five fields that make a mapping a duplicate of another when all are equal. */
export type MappingIdentity = Pick<M3terMappingRecord, 'm3terEntity' | 'm3terId' | 'externalSystem' | 'externalTable' | 'externalId'>;

const externalRecordKey = (r: MappingIdentity) => compositeKey(r.externalSystem, r.externalTable, r.externalId);
const m3terObjectKey = (r: MappingIdentity) => compositeKey(r.m3terEntity, r.m3terId);

/**
 * One org's mappings: kept in newest-first order at all times and indexed by every field a read
 * filters on, so each request costs about one page of work even with thousands of mappings.
 */
export class MappingStore {
  private readonly newestFirst: StoredMapping[] = [];
  private readonly byId = new Map<string, StoredMapping>();
  private readonly byExternalRecord = new MappingIndex(externalRecordKey);
  private readonly byM3terObject = new MappingIndex(m3terObjectKey);
  private readonly bySystem = new MappingIndex((r) => r.externalSystem);
  private readonly byM3terId = new MappingIndex((r) => r.m3terId);
  private readonly byConfig = new MappingIndex((r) => r.integrationConfigId);
  private readonly indexes = [this.byExternalRecord, this.byM3terObject, this.bySystem, this.byM3terId, this.byConfig];

  constructor(records: readonly M3terMappingRecord[]) {
    // The one sort, at load; afterwards every change keeps the order by binary-search insertion.
    const stored = records.map(toStored).sort(compareNewestFirst);
    for (const item of stored) {
      this.newestFirst.push(item);
      this.byId.set(item.id, item);
      for (const index of this.indexes) index.append(item);
    }
  }

  get size(): number {
    return this.newestFirst.length;
  }

  get(id: string): StoredMapping | undefined {
    return this.byId.get(id);
  }

  insert(record: M3terMappingRecord): StoredMapping {
    const item = toStored(record);
    insertSorted(this.newestFirst, item);
    this.byId.set(item.id, item);
    for (const index of this.indexes) index.add(item);
    return item;
  }

  /** Swaps in a new record for the same id; `dtCreated` (the sort key) never changes on update. */
  replace(item: StoredMapping, record: M3terMappingRecord): void {
    for (const index of this.indexes) index.remove(item);
    item.data = record;
    for (const index of this.indexes) index.add(item);
  }

  remove(item: StoredMapping): void {
    removeSorted(this.newestFirst, item);
    this.byId.delete(item.id);
    for (const index of this.indexes) index.remove(item);
  }

  /** Another mapping whose five identifying fields all equal these, if one exists. */
  findSame(identity: MappingIdentity, except?: StoredMapping): StoredMapping | undefined {
    return this.byExternalRecord
      .get(externalRecordKey(identity))
      .find((item) => item !== except && item.data.m3terEntity === identity.m3terEntity && item.data.m3terId === identity.m3terId);
  }

  /** `GET /externalmappings`: up to `limit` mappings after `cursor` that pass every filter. */
  list(filters: MappingFilters, cursor: MappingCursor | undefined, limit: number): StoredMapping[] {
    const { externalSystem, m3terIds, integrationConfigId } = filters;
    const keep = (item: StoredMapping) =>
      (externalSystem === undefined || item.data.externalSystem === externalSystem) &&
      (integrationConfigId === undefined || item.data.integrationConfigId === integrationConfigId);

    if (m3terIds !== undefined) {
      // Each id has its own short group; merge the heads of the groups, never the whole org.
      const merged: StoredMapping[] = [];
      for (const m3terId of new Set(m3terIds)) merged.push(...takeAfter(this.byM3terId.get(m3terId), cursor, limit, keep));
      return merged.sort(compareNewestFirst).slice(0, limit);
    }
    // Scan the smallest group that every match must belong to.
    let source: readonly StoredMapping[] = this.newestFirst;
    if (externalSystem !== undefined) source = this.bySystem.get(externalSystem);
    if (integrationConfigId !== undefined) {
      const byConfig = this.byConfig.get(integrationConfigId);
      if (byConfig.length < source.length) source = byConfig;
    }
    return takeAfter(source, cursor, limit, source === this.newestFirst ? undefined : keep);
  }

  /** `GET …/externalid/{system}/{externalTable}/{externalId}`: mappings of one external record. */
  forExternalRecord(system: string, table: string, externalId: string, cursor: MappingCursor | undefined, limit: number): StoredMapping[] {
    return takeAfter(this.byExternalRecord.get(compositeKey(system, table, externalId)), cursor, limit);
  }

  /** `GET …/external/{entity}/{m3terId}`: mappings of one m3ter object. */
  forM3terObject(entity: string, m3terId: string, cursor: MappingCursor | undefined, limit: number): StoredMapping[] {
    return takeAfter(this.byM3terObject.get(compositeKey(entity, m3terId)), cursor, limit);
  }
}

function toStored(record: M3terMappingRecord): StoredMapping {
  const createdMs = Date.parse(record.dtCreated);
  return { createdMs: Number.isNaN(createdMs) ? 0 : createdMs, id: record.id, data: record };
}
