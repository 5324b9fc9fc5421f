/**
 * The GraphQL endpoint on plain node:http: reads the body (bounded), hands the request to Apollo's
 * `executeHTTPGraphQLRequest` and writes its answer. Apollo does the rest: GET and POST, CSRF
 * prevention, no batching, status codes, content negotiation.
 *
 * Refusals that happen before Apollo starts a request (a body too large or not JSON, a context
 * that throws: no or bad API key, a tenant outside the key's grant) never reach Apollo's request
 * plugins, so `onRefused` reports them to the log and the metrics instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission } from './admission.js';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { errorCodeOf } from '../plugins/error-code-of.js';
import { withDocumentIdAsExtension } from '../persisted-documents/document-id.js';
import { chooseEncoding, compress } from './compress-response.js';

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Default `/graphql`. */
  path?: string;
  /**
   * Builds a request's context; an error carrying `extensions.http.status` (401, 403) sets the
   * status. `body` (parsed JSON) and `search` are the request's, for checks made before Apollo reads them.
   */
  context(args: { req: IncomingMessage; requestId: string; body: unknown; search: string }): Promise<TContext>;
  /** Wraps one request's execution (the gateway counts its vendor calls, and traces it); gives the id to use for it. */
  run?<T extends HTTPGraphQLResponse>(requestId: string, execute: (requestId: string) => Promise<T>, req: IncomingMessage): Promise<T>;
  /** Answers from `minBytes` up are compressed when the client accepts it (compress-response.ts). Default: never. */
  compression?: { minBytes: number };
  /** Largest request body accepted; default 1 MiB. Larger gets 413. */
  maxBodyBytes?: number;
  /** How many requests execute at once and wait; beyond it, 503 with Retry-After. Default: no cap. */
  admission?: Admission;
  /** A request refused before Apollo started it: for the log line and the request metrics. */
  onRefused?(refusal: Refusal): void;
}

export interface Refusal {
  requestId: string;
  status: number;
  code: string;
  durationMs: number;
  /** The request, and its body when it was read: what was refused, for security and audit lines. */
  req?: IncomingMessage;
  body?: unknown;
  /** The URL's query string (a GET carries its operation there). */
  search?: string;
  /** What the context function threw, when that was the refusal. */
  error?: unknown;
}

export type GraphQLHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => boolean;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function createGraphQLHandler<TContext extends BaseContext>(options: GraphQLHandlerOptions<TContext>): GraphQLHandler {
  const { apollo, path = '/graphql', maxBodyBytes = DEFAULT_MAX_BODY_BYTES, onRefused } = options;
  const run = options.run ?? (<T extends HTTPGraphQLResponse>(requestId: string, execute: (requestId: string) => Promise<T>) => execute(requestId));

  const refuse = (res: ServerResponse, refusal: Omit<Refusal, 'durationMs'>, started: number, message: string, headers: Record<string, string> = {}, extensions: Record<string, unknown> = {}): void => {
    onRefused?.({ ...refusal, durationMs: performance.now() - started });
    const body = JSON.stringify({ errors: [{ message, extensions: { code: refusal.code, ...extensions } }] });
    res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string, url: URL, started: number): Promise<void> => {
    const text = await readBody(req, maxBodyBytes);
    if (text === undefined) {
      // The rest of an oversized body is not read; closing keeps the socket from being reused mid-body.
      res.setHeader('connection', 'close');
      return refuse(res, { requestId, status: 413, code: 'PAYLOAD_TOO_LARGE' }, started, `The request body is larger than ${maxBodyBytes} bytes`);
    }
    let body: unknown = text;
    if (isJson(req) && text !== '') {
      try {
        body = withDocumentIdAsExtension(JSON.parse(text));
      } catch {
        return refuse(res, { requestId, status: 400, code: 'BAD_REQUEST' }, started, 'The request body is not valid JSON');
      }
    }
    const release = options.admission === undefined ? undefined : await options.admission.enter();
    if (options.admission !== undefined && release === undefined) {
      return refuse(res, { requestId, status: 503, code: 'SERVICE_OVERLOADED' }, started, 'The gateway is serving as many requests as it can; retry after a second', { 'retry-after': '1' }, { retryable: true, retryAfterMs: 1000 });
    }
    try {
      await execute(req, res, requestId, url, started, body);
    } finally {
      release?.();
    }
  };

  const execute = async (req: IncomingMessage, res: ServerResponse, requestId: string, url: URL, started: number, body: unknown): Promise<void> => {
    let contextFailure: unknown;
    const response = await run(requestId, (runId) =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers: headerMap(req), search: url.search, body },
        context: async () => {
          try {
            return await options.context({ req, requestId: runId, body, search: url.search });
          } catch (error) {
            contextFailure = error;
            throw error;
          }
        },
      }),
      req,
    );
    if (contextFailure !== undefined) {
      onRefused?.({ requestId, status: response.status ?? 500, code: errorCodeOf(contextFailure), durationMs: performance.now() - started, req, body, search: url.search, error: contextFailure });
    }
    await writeResponse(res, response, options.compression === undefined ? undefined : { minBytes: options.compression.minBytes, acceptEncoding: req.headers['accept-encoding'] });
  };

  return (req, res, requestId) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return false;
    const started = performance.now();
    handle(req, res, requestId, url, started).catch((error: unknown) => {
      // Apollo answers its own failures; this is the socket or a bug. Nothing about it is sent.
      if (!res.headersSent) refuse(res, { requestId, status: 500, code: 'INTERNAL_SERVER_ERROR' }, started, 'Unexpected error');
      else res.destroy(error instanceof Error ? error : undefined);
    });
    return true;
  };
}

function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(type);
}

function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** The body as UTF-8 text, or `undefined` once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse, compression: { minBytes: number; acceptEncoding: string | undefined } | undefined): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    const text = response.body.string;
    // Vary even when this answer goes uncompressed: a cache must not serve it to the next client as is.
    if (compression !== undefined) res.setHeader('vary', 'accept-encoding');
    const encoding = compression !== undefined && text.length >= compression.minBytes ? chooseEncoding(compression.acceptEncoding) : undefined;
    if (encoding === undefined) {
      res.end(text);
      return;
    }
    const compressed = await compress(text, encoding);
    res.setHeader('content-encoding', encoding);
    res.setHeader('content-length', compressed.length);
    res.end(compressed);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
