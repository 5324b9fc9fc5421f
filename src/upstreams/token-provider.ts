/**
 * A bearer token cache for one (vendor, credential): fetched on first use, reused until close to
 * expiry, fetched once however many callers ask at the same moment. Token values stay inside
 * this object and the Authorization header; they are never put in errors, events or logs.
 *
 * With `shared` (several replicas on Redis with a token key, src/shared-state/shared-tokens.ts)
 * a token missing here is read from the replicas' common slot, and fetched under its lock only
 * when none is stored: one fetch per credential and expiry across replicas.
 */
import type { Vendor } from './vendor.js';

export interface FetchedToken {
  accessToken: string;
  /** Lifetime in seconds, as the vendor returned it (Zuora 3599, m3ter 18000). */
  expiresInSec: number;
}

/** A token and how much longer it may be used before a refresh is due. */
export interface FreshToken {
  value: string;
  freshForMs: number;
}

/** The token slot several replicas share for one credential. */
export interface SharedTokenSlot {
  /** The shared token if one is fresh, else `fetch` run under the slot's lock (by this replica or another). */
  obtain(fetch: () => Promise<FreshToken>): Promise<FreshToken>;
  /** Drops the shared token if it is still `value`. */
  invalidate(value: string): Promise<void>;
}

export interface TokenFetchEvent {
  vendor: Vendor;
  /** A name for the credential that is not secret (tenant name or client id prefix). */
  credential: string;
  durationMs: number;
  ok: boolean;
}

export interface TokenProviderOptions {
  vendor: Vendor;
  credential: string;
  /** Calls the vendor's token endpoint. Errors pass through to every waiting caller. */
  fetchToken: () => Promise<FetchedToken>;
  /** Refresh this long before expiry, at most (default 300 s); see `refreshMarginSec`. */
  maxMarginSec?: number;
  onTokenFetch?: (event: TokenFetchEvent) => void;
  /** The replicas' common slot; absent: this process fetches its own. */
  shared?: SharedTokenSlot | undefined;
  now?: () => number;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

export class TokenProvider {
  readonly #options: TokenProviderOptions;
  readonly #now: () => number;
  #cached: CachedToken | undefined;
  #inFlight: Promise<string> | undefined;
  /** A shared drop in progress: the next read must not see the token it drops. */
  #dropping: Promise<void> = Promise.resolve();

  constructor(options: TokenProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** A valid token: the cached one, the one being fetched, or a new fetch. */
  getToken(): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && this.#now() < cached.refreshAt) return Promise.resolve(cached.value);
    this.#inFlight ??= this.#obtain().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /**
   * Drops `token` after the vendor refused it (401, m3ter 403). Only if it is still the cached
   * one: when 100 calls fail with the same stale token, the first drop triggers one refresh and
   * the other 99 find a newer token already cached and leave it alone.
   */
  invalidate(token: string): void {
    if (this.#cached?.value !== token) return;
    this.#cached = undefined;
    const shared = this.#options.shared;
    if (shared !== undefined) this.#dropping = shared.invalidate(token).catch(() => undefined);
  }

  async #obtain(): Promise<string> {
    const shared = this.#options.shared;
    await this.#dropping;
    const token = shared === undefined ? await this.#fetch() : await shared.obtain(() => this.#fetch());
    this.#cached = { value: token.value, refreshAt: this.#now() + token.freshForMs };
    return token.value;
  }

  /** From the vendor; fresh until the refresh margin, counted from when the fetch started. */
  async #fetch(): Promise<FreshToken> {
    const started = this.#now();
    let ok = false;
    try {
      const token = await this.#options.fetchToken();
      const marginSec = refreshMarginSec(token.expiresInSec, this.#options.maxMarginSec);
      ok = true;
      return { value: token.accessToken, freshForMs: started + (token.expiresInSec - marginSec) * 1000 - this.#now() };
    } finally {
      this.#report(started, ok);
    }
  }

  #report(started: number, ok: boolean): void {
    const { vendor, credential, onTokenFetch } = this.#options;
    try {
      onTokenFetch?.({ vendor, credential, durationMs: this.#now() - started, ok });
    } catch {
      // A metrics listener must not break authentication.
    }
  }
}

/**
 * How long before expiry to refresh: min(300 s, half the lifetime). Zuora's rule; for
 * m3ter's 5-hour tokens it is m3ter's own 300 s, and a short test lifetime still gets a usable
 * window instead of a refresh on every call. Measured from when the fetch started, so a slow
 * token call eats into the margin, not past it.
 */
export function refreshMarginSec(expiresInSec: number, maxMarginSec = 300): number {
  return Math.min(maxMarginSec, Math.max(0, expiresInSec) / 2);
}
