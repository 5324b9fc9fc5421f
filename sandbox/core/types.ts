import type { IncomingHttpHeaders } from 'node:http';

export type Vendor = 'zuora' | 'm3ter' | 'revio';
export const VENDORS: readonly Vendor[] = ['zuora', 'm3ter', 'revio'];

/** A parsed request as a vendor simulator sees it. Paths are decoded segments joined by '/'. */
export interface SandboxRequest {
  readonly method: string;
  /** The raw path (still percent-encoded), without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What a simulator answers. An object body is sent as JSON; a string or Buffer as is. */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Per-request facts the core hands to a simulator. */
export interface RequestEnv {
  /** The server's own base URL (scheme, host, port), for absolute links such as Zuora's nextPage. */
  readonly baseUrl: string;
  /** Sandbox clock in ms since the epoch; tests move it forward to expire tokens. */
  readonly now: number;
  /** Token lifetime override in seconds, when a test or the control API set one. */
  readonly tokenLifetimeS: number | undefined;
}

/** An injected failure, rendered by each simulator in its vendor's own error shape. */
export type InjectedFailure =
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504 }
  | { kind: 'rate-limited'; retryAfterS: number | undefined; limit: string }
  | { kind: 'quota-exhausted'; retryAfterS: number | undefined; limit: string };

/** A vendor simulator: pure request → response logic over its own in-memory store. */
export interface VendorApp {
  readonly vendor: Vendor;
  /**
   * Who the request acts for (Zuora entity, m3ter org, Rev.io client code), for the ledger,
   * per-tenant limits and fault matching. Cheap and side-effect free; no auth decisions here.
   */
  tenantOf(req: SandboxRequest): string | undefined;
  /**
   * Optional: called as a request arrives, before injected latency, so a simulator can mark work
   * as in flight (Zuora answers a replayed Idempotency-Key 409 while the first is still running).
   * The returned cleanup runs once the request is answered, hung up on or dropped.
   */
  admit?(req: SandboxRequest, env: RequestEnv): (() => void) | undefined;
  handle(req: SandboxRequest, env: RequestEnv): SandboxResponse | Promise<SandboxResponse>;
  /** Renders an injected failure in the vendor's shape; `req` lets it echo tracing headers. */
  failureResponse(failure: InjectedFailure, req?: SandboxRequest): SandboxResponse;
  /** Back to the seeded state: data, tokens, idempotency records. */
  reset(): void;
  /** What a vendor restart loses: issued tokens. Data and idempotency records stay. */
  forgetTokens(): void;
}
