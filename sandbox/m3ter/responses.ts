import type { SandboxResponse } from '../core/types.js';

/** Either a parsed value or the m3ter error response that explains why there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; response: SandboxResponse };

/** m3ter answers every 4xx and 5xx with `{ "message": string }` and nothing else. */
export function m3terError(status: number, message: string, headers?: Record<string, string>): SandboxResponse {
  return headers ? { status, headers, body: { message } } : { status, body: { message } };
}

export function ok(body: unknown): SandboxResponse {
  return { status: 200, body };
}

export function failed(status: number, message: string): { ok: false; response: SandboxResponse } {
  return { ok: false, response: m3terError(status, message) };
}

/** A received value for an error message: JSON, cut short so a huge input cannot echo back whole. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
