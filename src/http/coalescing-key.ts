/**
 * The key two requests must share to share one execution (query-coalescing.ts): method, every
 * request header except those each request carries anew, the URL's query string and the raw
 * body. The caller's credentials (Authorization, X-Api-Key) and tenant headers are part of it,
 * so two callers never share an answer. Hashed: bodies may be up to the body limit.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isRecord } from '../lib/is-record.js';
import { documentIdOf } from '../persisted-documents/document-id.js';
import { documentKeyOf, type QueryKinds } from './query-kinds.js';

/** Headers that differ per request (ids, trace context, framing, transfer encoding), not per caller or question. */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'traceparent', 'tracestate', 'baggage', 'content-length', 'connection', 'keep-alive', 'accept-encoding', 'te']);

export function coalescingKeyOf(method: string, rawHeaders: readonly string[], search: string, body: string): string {
  const headers: [string, string][] = [];
  // Raw headers, repeats included: a repeated credential is a different request.
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!PER_REQUEST_HEADERS.has(name)) headers.push([name, rawHeaders[i + 1]!]);
  }
  // By name only (a stable sort): header order is the client's habit, the order of repeats is not.
  headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return createHash('sha256').update(JSON.stringify([method, headers, search, body])).digest('base64url');
}

/**
 * The coalescing key of a request whose document this process knows as a query, else `undefined`
 * (a mutation, a document not seen yet, a body that is not a GraphQL request).
 */
export function requestCoalescingKey(kinds: QueryKinds, req: IncomingMessage, search: string, text: string, body: unknown): string | undefined {
  const method = (req.method ?? 'GET').toUpperCase();
  const params = method === 'GET' ? new URLSearchParams(search) : undefined;
  const request = params !== undefined ? { query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined } : isRecord(body) ? body : undefined;
  if (request === undefined) return undefined;
  const documentKey = documentKeyOf(request.query, documentIdOf(body, search), request.operationName);
  if (documentKey === undefined || !kinds.isQuery(documentKey)) return undefined;
  return coalescingKeyOf(method, req.rawHeaders, search, text);
}
