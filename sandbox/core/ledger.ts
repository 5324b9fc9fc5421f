import type { Vendor } from './types.js';

export interface LedgerEntry {
  /** Increasing across the whole sandbox, so tests can read "what happened since". */
  seq: number;
  vendor: Vendor;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  tenant: string | undefined;
  /** 0 when the sandbox hung or dropped the connection instead of answering. */
  status: number;
  /** ISO time the request arrived (sandbox clock). */
  time: string;
  durationMs: number;
  /** The injected fault or vendor limit that shaped the answer, if any. */
  fault?: string;
  /** Request headers a test may need to check (tenant and tracing headers; never credentials). */
  headers: Record<string, string>;
}

export type LedgerFilter = Partial<Pick<LedgerEntry, 'vendor' | 'method' | 'tenant' | 'status'>> & {
  /** Matches when the path contains this text (case-insensitive) or matches this pattern. */
  path?: string | RegExp;
  sinceSeq?: number;
};

/** Headers worth recording: the ones that carry tenancy or tracing, never credentials. */
const RECORDED_HEADERS = [
  'zuora-entity-ids',
  'entityid',
  'entityname',
  'zuora-track-id',
  'idempotency-key',
  'x-request-id',
  'content-type',
];

/**
 * Every vendor request the sandbox served, for tests and benchmarks to count upstream calls.
 * Bounded so a long benchmark cannot grow it without limit; `total` keeps counting past the cap.
 */
export class Ledger {
  private entries: LedgerEntry[] = [];
  private nextSeq = 1;
  private counted = 0;

  constructor(private readonly capacity = 200_000) {}

  static recordedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of RECORDED_HEADERS) {
      const value = headers[name];
      if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return out;
  }

  record(entry: Omit<LedgerEntry, 'seq'>): LedgerEntry {
    const full = { seq: this.nextSeq++, ...entry };
    this.counted++;
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return full;
  }

  /** Number of requests recorded since the last reset, including any dropped from the window. */
  get total(): number {
    return this.counted;
  }

  /** The seq the next entry will get: read it before an action, pass it as `sinceSeq` after. */
  get mark(): number {
    return this.nextSeq;
  }

  list(filter: LedgerFilter = {}): LedgerEntry[] {
    return this.entries.filter((entry) => matches(entry, filter));
  }

  count(filter: LedgerFilter = {}): number {
    let n = 0;
    for (const entry of this.entries) if (matches(entry, filter)) n++;
    return n;
  }

  reset(): void {
    this.entries = [];
    this.counted = 0;
  }
}

function matches(entry: LedgerEntry, filter: LedgerFilter): boolean {
  if (filter.sinceSeq !== undefined && entry.seq < filter.sinceSeq) return false;
  if (filter.vendor !== undefined && entry.vendor !== filter.vendor) return false;
  if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.tenant !== undefined && entry.tenant !== filter.tenant) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (filter.path !== undefined) {
    if (typeof filter.path === 'string') {
      if (!entry.path.toLowerCase().includes(filter.path.toLowerCase())) return false;
    } else if (!filter.path.test(entry.path)) return false;
  }
  return true;
}
