/**
 * The key two requests must share to share one execution (query-coalescing.ts): every request
 * header except those each request carries anew, and the resolved operation (method, text, name,
 * variables, extensions; resolve-operation.ts), so two requests share only what would run alike.
 * The caller's credentials (Authorization, X-Api-Key) and tenant headers are part of it, so two
 * callers never share an answer. Hashed: documents may be long.
 */
import { createHash } from 'node:crypto';
import type { ResolvedOperation } from './resolve-operation.js';

/** Headers that differ per request (ids, trace context, framing, transfer encoding), not per caller or question. */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'traceparent', 'tracestate', 'baggage', 'content-length', 'connection', 'keep-alive', 'accept-encoding', 'te']);

export function coalescingKeyOf(rawHeaders: readonly string[], operation: ResolvedOperation): string {
  const headers: [string, string][] = [];
  // Raw headers, repeats included: a repeated credential is a different request.
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!PER_REQUEST_HEADERS.has(name)) headers.push([name, rawHeaders[i + 1]!]);
  }
  // By name only (a stable sort): header order is the client's habit, the order of repeats is not.
  headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const { method, query, requestedName, variables, extensions } = operation;
  return createHash('sha256')
    .update(JSON.stringify([method, headers, query, requestedName ?? null, variables ?? null, extensions ?? null]))
    .digest('base64url');
}
