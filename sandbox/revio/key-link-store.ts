import type { RevioKeyLinkRecord } from '../fixtures/types.js';
import type { SearchFilter } from './list-query.js';
import { pageOf, sliceOf, type Page } from './page-of.js';
import { insertSorted, removeSorted } from './sorted-ids.js';

/** The fields a caller writes with POST and PUT. */
export type KeyLinkFields = Pick<RevioKeyLinkRecord, 'integration_system_id' | 'integration_entity_type_id' | 'internal_id' | 'external_id'>;

/** The fields `GET /v1/IntegrationKeyLink` filters on. */
export type KeyLinkSearchField = 'integration_key_link_id' | keyof KeyLinkFields;

type IndexedField = keyof KeyLinkFields;
const INDEXED_FIELDS: readonly IndexedField[] = ['integration_system_id', 'integration_entity_type_id', 'internal_id', 'external_id'];

/**
 * One client's key links, held in id order with an index per searchable field, so a selective
 * search (an external_id, an internal_id) reads a handful of ids instead of every link.
 * Records are never changed in place: a PUT stores a new object, so a page already handed out
 * keeps the values it was read with.
 */
export class KeyLinkStore {
  private readonly byId = new Map<number, RevioKeyLinkRecord>();
  /** Every id, ascending: the unfiltered list and the paging order. */
  private readonly ids: number[] = [];
  /** field → value → ascending ids. external_id keys are lower-cased (matching ignores case). */
  private readonly indexes = new Map<IndexedField, Map<number | string, number[]>>(INDEXED_FIELDS.map((f) => [f, new Map()]));
  private nextId: number;

  constructor(seed: readonly RevioKeyLinkRecord[]) {
    for (const record of [...seed].sort((a, b) => a.integration_key_link_id - b.integration_key_link_id)) this.add(record);
    // Ids come from an identity column: never reused, even after the newest link is deleted.
    this.nextId = (this.ids[this.ids.length - 1] ?? 0) + 1;
  }

  get(id: number): RevioKeyLinkRecord | undefined {
    return this.byId.get(id);
  }

  create(fields: KeyLinkFields, audit: Pick<RevioKeyLinkRecord, 'created_date' | 'created_by'>): RevioKeyLinkRecord {
    const record: RevioKeyLinkRecord = { integration_key_link_id: this.nextId++, ...pickFields(fields), ...audit };
    this.add(record);
    return record;
  }

  /** Full replace of the written fields; the id and audit fields stay. Undefined if unknown. */
  replace(id: number, fields: KeyLinkFields): RevioKeyLinkRecord | undefined {
    const old = this.byId.get(id);
    if (!old) return undefined;
    this.remove(old);
    const record: RevioKeyLinkRecord = { ...old, ...pickFields(fields) };
    this.add(record);
    return record;
  }

  delete(id: number): boolean {
    const old = this.byId.get(id);
    if (!old) return false;
    this.remove(old);
    return true;
  }

  /** One page of the links matching every filter, in id order. */
  search(filters: readonly SearchFilter<KeyLinkSearchField>[], page: number, size: number): Page<RevioKeyLinkRecord> {
    const candidates = this.narrowest(filters);
    const byId = (id: number) => this.byId.get(id) as RevioKeyLinkRecord;
    // With at most one filter the candidate list is exactly the answer, so slice it.
    if (filters.length <= 1) return sliceOf(candidates, byId, page, size);
    return pageOf(candidates, (id) => {
      const record = byId(id);
      return filters.every((filter) => matches(record, filter)) ? record : undefined;
    }, page, size);
  }

  /** The shortest id list that contains every match: the smallest index bucket among the filters. */
  private narrowest(filters: readonly SearchFilter<KeyLinkSearchField>[]): readonly number[] {
    let best: readonly number[] | undefined;
    for (const filter of filters) {
      const list = this.candidatesFor(filter);
      if (best === undefined || list.length < best.length) best = list;
      if (best.length === 0) break;
    }
    return best ?? this.ids;
  }

  private candidatesFor(filter: SearchFilter<KeyLinkSearchField>): readonly number[] {
    if (filter.field === 'integration_key_link_id') return this.byId.has(filter.value as number) ? [filter.value as number] : [];
    return this.indexes.get(filter.field)?.get(filter.value) ?? [];
  }

  private add(record: RevioKeyLinkRecord): void {
    const id = record.integration_key_link_id;
    this.byId.set(id, record);
    insertSorted(this.ids, id);
    for (const field of INDEXED_FIELDS) {
      const index = this.indexes.get(field) as Map<number | string, number[]>;
      const key = indexKey(record, field);
      const bucket = index.get(key);
      if (bucket) insertSorted(bucket, id);
      else index.set(key, [id]);
    }
  }

  private remove(record: RevioKeyLinkRecord): void {
    const id = record.integration_key_link_id;
    this.byId.delete(id);
    removeSorted(this.ids, id);
    for (const field of INDEXED_FIELDS) {
      const index = this.indexes.get(field) as Map<number | string, number[]>;
      const key = indexKey(record, field);
      const bucket = index.get(key);
      if (!bucket) continue;
      removeSorted(bucket, id);
      if (bucket.length === 0) index.delete(key);
    }
  }
}

function indexKey(record: RevioKeyLinkRecord, field: IndexedField): number | string {
  return field === 'external_id' ? record.external_id.toLowerCase() : record[field];
}

/** String filters arrive lower-cased; strings compare case-insensitively, like SQL Server's default collation. */
function matches(record: RevioKeyLinkRecord, filter: SearchFilter<KeyLinkSearchField>): boolean {
  const actual = record[filter.field];
  return typeof actual === 'string' ? actual.toLowerCase() === filter.value : actual === filter.value;
}

/** Copies only the written fields, in wire order, so stray body fields never reach the store. */
function pickFields(fields: KeyLinkFields): KeyLinkFields {
  return {
    integration_system_id: fields.integration_system_id,
    integration_entity_type_id: fields.integration_entity_type_id,
    internal_id: fields.internal_id,
    external_id: fields.external_id,
  };
}
