import { randomBytes } from 'node:crypto';
import type { SandboxResponse } from '../core/types.js';
import type { ZuoraCode } from './error-codes.js';

/** Zuora names each processed call with 16 upper-case hex characters, e.g. `CBCFED6580B4E076`. */
export function newProcessId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** A success body: the fields first, then `success: true`, as Zuora orders them. */
export function ok(fields: Record<string, unknown> = {}): SandboxResponse {
  return { status: 200, body: { ...fields, success: true } };
}

/**
 * A Zuora business failure. Zuora answers these with HTTP 200 and `success:false`; only a few
 * cases (legacy header clashes, idempotency, limits) use another status.
 */
export function failure(code: ZuoraCode, message: string, status = 200): SandboxResponse {
  return { status, body: { success: false, processId: newProcessId(), reasons: [{ code, message }] } };
}

/** The WWW-Authenticate value Zuora sends with a 401: every scheme it accepts on /v1. */
const AUTH_CHALLENGE = 'Basic realm="Zuora API", ZSession realm="Zuora API", Bearer realm="Zuora API"';

export function authenticationError(): SandboxResponse {
  return { status: 401, headers: { 'WWW-Authenticate': AUTH_CHALLENGE }, body: { message: 'Authentication error' } };
}

/** Errors outside the business envelope (token endpoint, routing, injected 5xx): `{message}`. */
export function plainError(status: number, message: string, headers?: Record<string, string>): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body: { message } };
}
