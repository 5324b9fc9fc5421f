import type { SandboxResponse } from '../core/types.js';

/** One problem with one input field, as listed in an application error's `errors`. */
export interface FieldError {
  field?: string;
  message: string;
}

/** The application's own error body: `{ok:false, message, errors?}`; APIM's errors look different. */
export function appError(status: number, message: string, errors?: FieldError[], headers?: Record<string, string>): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body: errors && errors.length > 0 ? { ok: false, message, errors } : { ok: false, message } };
}

/** A 400 that lists field problems; the message repeats them so a log line alone is useful. */
export function invalidRequest(errors: FieldError[]): SandboxResponse {
  return appError(400, `The request is invalid: ${errors.map((e) => e.message).join('; ')}`, errors);
}

/**
 * The API-gateway body (Azure APIM in front of Rev.io): bad subscription key, rate limit, quota.
 * It has `statusCode` and no `ok`, which is how adapters tell a quota 403 from a role 403.
 */
export function gatewayError(status: number, message: string, retryAfterS?: number): SandboxResponse {
  return {
    status,
    ...(retryAfterS === undefined ? {} : { headers: { 'retry-after': String(retryAfterS) } }),
    body: { statusCode: status, message },
  };
}

/** A collection page. `record_count` counts this page only; Rev.io reports no total. */
export function collection(records: readonly unknown[], hasMore: boolean): SandboxResponse {
  return { status: 200, body: { ok: true, has_more: hasMore, record_count: records.length, records } };
}

/** A single resource: `ok`, the fields at the top level, then a self link (lower-case, as Rev.io writes it). */
export function single(fields: object, selfHref: string): SandboxResponse {
  return { status: 200, body: { ok: true, ...fields, links: [{ rel: 'self', href: selfHref }] } };
}

/** The body of a successful PUT or DELETE. */
export function okBody(): SandboxResponse {
  return { status: 200, body: { ok: true } };
}
