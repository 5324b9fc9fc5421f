import type { M3terMappingRecord } from '../fixtures/types.js';
import { insertSorted, removeSorted, type StoredMapping } from './newest-first.js';

const EMPTY: readonly StoredMapping[] = [];

/**
 * Mappings grouped by one key, each group kept in newest-first order so a filtered page is a
 * slice of one group rather than a scan and sort of the whole org.
 */
export class MappingIndex {
  private readonly groups = new Map<string, StoredMapping[]>();

  /** `keyOf` returns undefined for records the index leaves out (e.g. no integrationConfigId). */
  constructor(private readonly keyOf: (record: M3terMappingRecord) => string | undefined) {}

  get(key: string): readonly StoredMapping[] {
    return this.groups.get(key) ?? EMPTY;
  }

  /** Appends without searching: only for loading records that arrive already in order. */
  append(item: StoredMapping): void {
    const key = this.keyOf(item.data);
    if (key === undefined) return;
    const group = this.groups.get(key);
    if (group) group.push(item);
    else this.groups.set(key, [item]);
  }

  add(item: StoredMapping): void {
    const key = this.keyOf(item.data);
    if (key === undefined) return;
    const group = this.groups.get(key);
    if (group) insertSorted(group, item);
    else this.groups.set(key, [item]);
  }

  remove(item: StoredMapping): void {
    const key = this.keyOf(item.data);
    if (key === undefined) return;
    const group = this.groups.get(key);
    if (!group) return;
    removeSorted(group, item);
    if (group.length === 0) this.groups.delete(key);
  }
}

/** Joins key parts; NUL cannot occur in a valid mapping field (control characters are refused). */
export function compositeKey(...parts: string[]): string {
  return parts.join('\u0000');
}
