/** 24 hours, as Zuora keeps an idempotent request's first result. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Above this many records, starting a new one also sweeps out the expired ones. */
const SWEEP_ABOVE = 10_000;

/** The first result of a keyed request, kept as the exact bytes sent so replays match them. */
export interface StoredResult {
  status: number;
  body: string;
}

interface IdempotencyRecord {
  method: string;
  path: string;
  expiresAt: number;
  /** Absent while the first request is still being processed. */
  result?: StoredResult;
}

export type FirstOutcome = { kind: 'first'; finish: (result: StoredResult) => void; abandon: () => void };

export type IdempotencyOutcome =
  | FirstOutcome
  | { kind: 'replay'; result: StoredResult }
  | { kind: 'in-flight' }
  /** The key was first used with another method or path. */
  | { kind: 'mismatch' };

/** Idempotency-Key records, scoped per OAuth client and aged by the sandbox clock. */
export class IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  constructor(private readonly ttlMs: number) {}

  /** For a keyed POST: run it (first), or answer from the record. */
  begin(clientId: string, key: string, method: string, path: string, now: number): IdempotencyOutcome {
    const id = recordId(clientId, key);
    const existing = this.live(id, now);
    if (existing) {
      if (existing.method !== method || existing.path !== path) return { kind: 'mismatch' };
      return existing.result ? { kind: 'replay', result: existing.result } : { kind: 'in-flight' };
    }
    if (this.records.size > SWEEP_ABOVE) this.sweep(now);
    const record: IdempotencyRecord = { method, path, expiresAt: now + this.ttlMs };
    this.records.set(id, record);
    return {
      kind: 'first',
      finish: (result) => {
        record.result = result;
      },
      // Only an unfinished record goes: a finished one must keep answering replays.
      abandon: () => {
        if (this.records.get(id) === record && !record.result) this.records.delete(id);
      },
    };
  }

  /** For a keyed request that is not a POST: only reports a key first used elsewhere. */
  conflicts(clientId: string, key: string, method: string, path: string, now: number): boolean {
    const existing = this.live(recordId(clientId, key), now);
    return existing !== undefined && (existing.method !== method || existing.path !== path);
  }

  clear(): void {
    this.records.clear();
  }

  private live(id: string, now: number): IdempotencyRecord | undefined {
    const record = this.records.get(id);
    if (record && record.expiresAt <= now) {
      this.records.delete(id);
      return undefined;
    }
    return record;
  }

  private sweep(now: number): void {
    for (const [id, record] of this.records) if (record.expiresAt <= now) this.records.delete(id);
  }
}

function recordId(clientId: string, key: string): string {
  return `${clientId}\u0000${key}`;
}
