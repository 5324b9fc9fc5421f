import type { Rng } from './rng.js';
import type { InjectedFailure, SandboxResponse, Vendor } from './types.js';

export type FaultKind = 'latency' | 'server-error' | 'rate-limited' | 'hang' | 'apply-then-hang' | 'drop' | 'foreign-answer';
const FAULT_KINDS: readonly FaultKind[] = ['latency', 'server-error', 'rate-limited', 'hang', 'apply-then-hang', 'drop', 'foreign-answer'];

/**
 * foreign-answer: what arrives instead of the vendor's own answer, the request not applied: a
 * proxy's HTML 502 page, a framework's stack trace, a 200 whose JSON has another shape. A string
 * body is sent as is (with `contentType`, default text/html), anything else as JSON.
 */
export interface ForeignAnswer {
  status: number;
  contentType?: string;
  body: unknown;
}

/** One switch. Rules are checked in order; every matching latency rule adds up, the first other rule that fires wins. */
export interface FaultRule {
  kind: FaultKind;
  /** Limit the rule to some requests; `path` is a case-insensitive regular expression. */
  match?: { method?: string; path?: string; tenant?: string };
  /** Share of matching requests hit, 0..1 (default 1), drawn from the sandbox's seeded generator. */
  rate?: number;
  /** Fire at most this many times, then stop (default: no limit). */
  times?: number;
  /**
   * Fire only once the rule at this index of the same list has fired: e.g. a search that fails
   * only after the POST it would settle hung, not the read the client makes before posting.
   */
  after?: number;
  /** server-error: the status to answer (default 503). */
  status?: 500 | 502 | 503 | 504;
  /** rate-limited: Retry-After seconds; null sends none; omitted uses the vendor's habit. */
  retryAfterS?: number | null;
  /** latency: a fixed delay or a [min, max] range in ms. */
  latencyMs?: number | [number, number];
  /** hang / apply-then-hang: how long to hold the socket before destroying it (default 30 s). */
  hangMs?: number;
  /** foreign-answer: the status and body sent instead of the vendor's. */
  answer?: ForeignAnswer;
}

export interface VendorFaults {
  rules?: FaultRule[];
  /** Answer 429 above this many requests in flight per tenant. */
  concurrencyCap?: number;
  /** Lifetime in seconds of tokens issued from now on. */
  tokenLifetimeS?: number;
}

/** A vendor's own published limit, counted per tenant in fixed windows. */
export interface WindowLimit {
  name: string;
  max: number;
  windowMs: number;
  /** Rev.io answers its daily quota with 403, everything else is a 429. */
  answer: 'rate-limited' | 'quota-exhausted';
}

export interface VendorLimits {
  windows: WindowLimit[];
  /** Requests in flight per tenant before the vendor answers 429 (Zuora: 40 per entity). */
  inFlightPerTenant?: number;
}

/**
 * The limits each vendor publishes: Zuora 50,000 calls a minute (production) and 40 in flight per
 * entity, m3ter 50 a second per org, Rev.io 500 a minute and 150,000 a day per subscription key.
 */
export const VENDOR_LIMITS: Record<Vendor, VendorLimits> = {
  zuora: { windows: [{ name: 'per-minute', max: 50_000, windowMs: 60_000, answer: 'rate-limited' }], inFlightPerTenant: 40 },
  m3ter: { windows: [{ name: 'per-second', max: 50, windowMs: 1_000, answer: 'rate-limited' }] },
  revio: {
    windows: [
      { name: 'per-minute', max: 500, windowMs: 60_000, answer: 'rate-limited' },
      { name: 'per-day', max: 150_000, windowMs: 86_400_000, answer: 'quota-exhausted' },
    ],
  },
};

/** Whether a vendor sends Retry-After on its 429s by habit (m3ter does not). */
const SENDS_RETRY_AFTER: Record<Vendor, boolean> = { zuora: true, m3ter: false, revio: true };

export type FaultDecision =
  | { action: 'serve'; latencyMs: number }
  | { action: 'fail'; latencyMs: number; failure: InjectedFailure; fault: string }
  | { action: 'hang'; latencyMs: number; hangMs: number; applyFirst: boolean; fault: string }
  | { action: 'drop'; latencyMs: number; fault: string }
  | { action: 'respond'; latencyMs: number; response: SandboxResponse; fault: string };

interface RequestFacts {
  method: string;
  path: string;
  tenant: string | undefined;
  now: number;
}

/**
 * Decides, per request, whether the vendor answers normally, slowly, with an error, or not at all.
 * Holds per-tenant counters for vendor limits and the concurrency cap.
 */
export class FaultPlan {
  private faults: VendorFaults = {};
  private fired = new Map<FaultRule, number>();
  private inFlight = new Map<string, number>();
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly vendor: Vendor,
    private readonly rng: Rng,
    private limits: VendorLimits | null,
  ) {}

  get config(): VendorFaults {
    return this.faults;
  }

  get limitConfig(): VendorLimits | null {
    return this.limits;
  }

  setFaults(faults: VendorFaults): void {
    this.faults = faults;
    this.fired.clear();
  }

  /** null turns the vendor's limits off (benchmarks measure gateways, not vendor quotas). */
  setLimits(limits: VendorLimits | null): void {
    this.limits = limits;
    this.windows.clear();
  }

  reset(): void {
    this.setFaults({});
    this.inFlight.clear();
    this.windows.clear();
  }

  decide(facts: RequestFacts): FaultDecision {
    let latencyMs = 0;
    for (const rule of this.faults.rules ?? []) {
      if (!this.applies(rule, facts)) continue;
      this.fired.set(rule, (this.fired.get(rule) ?? 0) + 1);
      if (rule.kind === 'latency') {
        latencyMs += this.latencyOf(rule);
        continue;
      }
      switch (rule.kind) {
        case 'server-error':
          return { action: 'fail', latencyMs, failure: { kind: 'server-error', status: rule.status ?? 503 }, fault: `server-error-${rule.status ?? 503}` };
        case 'rate-limited':
          return { action: 'fail', latencyMs, failure: { kind: 'rate-limited', retryAfterS: this.retryAfter(rule.retryAfterS, 1), limit: 'injected' }, fault: 'rate-limited' };
        case 'hang':
        case 'apply-then-hang':
          return { action: 'hang', latencyMs, hangMs: rule.hangMs ?? 30_000, applyFirst: rule.kind === 'apply-then-hang', fault: rule.kind };
        case 'drop':
          return { action: 'drop', latencyMs, fault: 'drop' };
        case 'foreign-answer':
          return { action: 'respond', latencyMs, response: foreignResponse(rule.answer), fault: 'foreign-answer' };
      }
    }
    const limited = this.checkLimits(facts);
    if (limited) return { action: 'fail', latencyMs, failure: limited, fault: `limit:${limited.limit}` };
    return { action: 'serve', latencyMs };
  }

  /** Call around serving a request so the concurrency cap sees it. */
  enter(tenant: string | undefined): void {
    if (tenant !== undefined) this.inFlight.set(tenant, (this.inFlight.get(tenant) ?? 0) + 1);
  }

  leave(tenant: string | undefined): void {
    if (tenant === undefined) return;
    const n = (this.inFlight.get(tenant) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(tenant);
    else this.inFlight.set(tenant, n);
  }

  private applies(rule: FaultRule, facts: RequestFacts): boolean {
    if (rule.times !== undefined && (this.fired.get(rule) ?? 0) >= rule.times) return false;
    if (rule.after !== undefined) {
      const earlier = this.faults.rules?.[rule.after];
      if (earlier === undefined || (this.fired.get(earlier) ?? 0) === 0) return false;
    }
    const match = rule.match;
    if (match?.method && match.method.toUpperCase() !== facts.method) return false;
    if (match?.tenant && match.tenant !== facts.tenant) return false;
    if (match?.path && !new RegExp(match.path, 'i').test(facts.path)) return false;
    const rate = rule.rate ?? 1;
    return rate >= 1 || this.rng.next() < rate;
  }

  private latencyOf(rule: FaultRule): number {
    const latency = rule.latencyMs ?? 0;
    if (typeof latency === 'number') return latency;
    const [min, max] = latency;
    return min + this.rng.next() * (max - min);
  }

  private retryAfter(requested: number | null | undefined, habitual: number): number | undefined {
    if (requested === null) return undefined;
    if (requested !== undefined) return requested;
    return SENDS_RETRY_AFTER[this.vendor] ? habitual : undefined;
  }

  private checkLimits(facts: RequestFacts): Extract<InjectedFailure, { limit: string }> | undefined {
    // Token calls carry no tenant and are exempt, as the vendors exempt them from these counters.
    if (facts.tenant === undefined) return undefined;
    const cap = this.faults.concurrencyCap ?? this.limits?.inFlightPerTenant;
    // enter() has already counted this request, so more than `cap` means one too many.
    if (cap !== undefined && (this.inFlight.get(facts.tenant) ?? 0) > cap) {
      return { kind: 'rate-limited', retryAfterS: this.retryAfter(undefined, 1), limit: 'concurrency' };
    }
    for (const limit of this.limits?.windows ?? []) {
      const key = `${limit.name}\u0000${facts.tenant}`;
      let window = this.windows.get(key);
      if (!window || facts.now - window.start >= limit.windowMs) {
        window = { start: facts.now, count: 0 };
        this.windows.set(key, window);
      }
      window.count++;
      if (window.count > limit.max) {
        const retryAfterS = Math.max(1, Math.ceil((window.start + limit.windowMs - facts.now) / 1000));
        return { kind: limit.answer, retryAfterS: this.retryAfter(undefined, retryAfterS), limit: limit.name };
      }
    }
    return undefined;
  }
}

/** Checks a faults document from the control API; returns an error message or the parsed value. */
export function parseVendorFaults(input: unknown): VendorFaults | string {
  if (!isObject(input)) return 'faults must be a JSON object';
  const out: VendorFaults = {};
  if (input.concurrencyCap !== undefined) {
    if (!isPositiveInt(input.concurrencyCap)) return `concurrencyCap must be a positive integer, got ${JSON.stringify(input.concurrencyCap)}`;
    out.concurrencyCap = input.concurrencyCap;
  }
  if (input.tokenLifetimeS !== undefined) {
    if (!isPositiveInt(input.tokenLifetimeS)) return `tokenLifetimeS must be a positive integer, got ${JSON.stringify(input.tokenLifetimeS)}`;
    out.tokenLifetimeS = input.tokenLifetimeS;
  }
  if (input.rules !== undefined) {
    if (!Array.isArray(input.rules)) return 'rules must be an array';
    out.rules = [];
    for (const [i, rule] of input.rules.entries()) {
      if (!isObject(rule) || !FAULT_KINDS.includes(rule.kind as FaultKind)) return `rules[${i}].kind must be one of ${FAULT_KINDS.join(', ')}`;
      if (rule.rate !== undefined && !(typeof rule.rate === 'number' && rule.rate >= 0 && rule.rate <= 1)) return `rules[${i}].rate must be a number from 0 to 1`;
      if (rule.times !== undefined && !isPositiveInt(rule.times)) return `rules[${i}].times must be a positive integer`;
      if (rule.after !== undefined && !(Number.isInteger(rule.after) && (rule.after as number) >= 0 && (rule.after as number) < i)) return `rules[${i}].after must be the index of an earlier rule (${i === 0 ? 'rule 0 has none' : `0 to ${i - 1}`}), got ${JSON.stringify(rule.after)}`;
      if (rule.status !== undefined && ![500, 502, 503, 504].includes(rule.status as number)) return `rules[${i}].status must be 500, 502, 503 or 504`;
      if (rule.match !== undefined) {
        if (!isObject(rule.match)) return `rules[${i}].match must be an object`;
        if (typeof rule.match.path === 'string') {
          try {
            new RegExp(rule.match.path);
          } catch {
            return `rules[${i}].match.path must be a valid regular expression`;
          }
        }
      }
      if (rule.kind === 'foreign-answer') {
        const answer = rule.answer;
        if (!isObject(answer) || !(typeof answer.status === 'number' && Number.isInteger(answer.status) && answer.status >= 200 && answer.status <= 599) || answer.body === undefined) {
          return `rules[${i}].answer must be { status: 200..599, body, contentType? }`;
        }
        if (answer.contentType !== undefined && typeof answer.contentType !== 'string') return `rules[${i}].answer.contentType must be a string`;
      }
      const latency = rule.latencyMs;
      if (latency !== undefined && !(typeof latency === 'number' && latency >= 0) && !(Array.isArray(latency) && latency.length === 2 && latency.every((n) => typeof n === 'number' && n >= 0) && latency[0] <= latency[1])) {
        return `rules[${i}].latencyMs must be a non-negative number or a [min, max] pair`;
      }
      out.rules.push(rule as unknown as FaultRule);
    }
  }
  return out;
}

function foreignResponse(answer: ForeignAnswer | undefined): SandboxResponse {
  const { status = 502, body = '', contentType } = answer ?? {};
  if (typeof body !== 'string') return { status, body, ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }) };
  return { status, headers: { 'content-type': contentType ?? 'text/html; charset=utf-8' }, body };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
