import { randomUUID } from 'node:crypto';

/** The sandbox's defaults for Zuora's published limits: a production tenant's API and token calls. */
export const API_CALLS_PER_MINUTE = 50_000;
export const AUTH_CALLS_PER_MINUTE = 2_000;
export const CONCURRENT_CALLS_PER_ENTITY = 40;

/**
 * `RateLimit-Limit` is compound in Zuora: the first integer is the limit that applies now, then
 * each window with its length in seconds.
 */
const API_LIMIT = `${API_CALLS_PER_MINUTE}, ${API_CALLS_PER_MINUTE};w=60, 2250000;w=3600, 27000000;w=86400`;
const AUTH_LIMIT = `${AUTH_CALLS_PER_MINUTE}, ${AUTH_CALLS_PER_MINUTE};w=60`;
const WINDOW_MS = 60_000;

export type LimitBucket = { kind: 'api'; tenant: string } | { kind: 'auth' };

/**
 * The rate and concurrency headers Zuora puts on every response. The sandbox core enforces the
 * limits; these counters only make the headers tell a plausible story per entity and minute.
 * Concurrency is reported as the cap less this call, since the core owns the in-flight count.
 */
export class LimitHeaders {
  private readonly windows = new Map<string, { start: number; count: number }>();

  for(bucket: LimitBucket, now: number): Record<string, string> {
    const key = bucket.kind === 'api' ? `api:${bucket.tenant}` : 'auth';
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    const max = bucket.kind === 'api' ? API_CALLS_PER_MINUTE : AUTH_CALLS_PER_MINUTE;
    return {
      'Zuora-Request-Id': randomUUID(),
      'RateLimit-Limit': bucket.kind === 'api' ? API_LIMIT : AUTH_LIMIT,
      'RateLimit-Remaining': String(Math.max(0, max - window.count)),
      'RateLimit-Reset': String(Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000))),
      'Concurrency-Limit-Type': 'Default',
      'Concurrency-Limit-Limit': String(CONCURRENT_CALLS_PER_ENTITY),
      'Concurrency-Limit-Remaining': String(CONCURRENT_CALLS_PER_ENTITY - 1),
    };
  }

  /** Headers for a call the core refused before the simulator saw it (no tenant, no counters). */
  refused(exhausted: 'rate' | 'concurrency' | 'none', resetS: number): Record<string, string> {
    return {
      'Zuora-Request-Id': randomUUID(),
      'RateLimit-Limit': API_LIMIT,
      'RateLimit-Remaining': exhausted === 'rate' ? '0' : String(API_CALLS_PER_MINUTE - 1),
      'RateLimit-Reset': String(resetS),
      'Concurrency-Limit-Type': 'Default',
      'Concurrency-Limit-Limit': String(CONCURRENT_CALLS_PER_ENTITY),
      'Concurrency-Limit-Remaining': exhausted === 'concurrency' ? '0' : String(CONCURRENT_CALLS_PER_ENTITY - 1),
    };
  }

  clear(): void {
    this.windows.clear();
  }
}

/** `Zuora-Track-Id` is echoed when valid: at most 64 printable ASCII characters, none of `:;"'`. */
export function validTrackId(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length <= 64 && /^[\x20-\x7e]+$/.test(value) && !/[:;"']/.test(value) ? value : undefined;
}
