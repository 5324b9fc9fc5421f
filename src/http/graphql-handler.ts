/**
 * The GraphQL endpoint on plain node:http: reads the body (bounded), hands the request to Apollo's
 * `executeHTTPGraphQLRequest` and writes its answer. Apollo does the rest: GET and POST, CSRF
 * prevention, no batching, status codes, content negotiation.
 *
 * Refusals that happen before Apollo starts a request (a body too large or not JSON, a context
 * that throws: no or bad API key, a tenant outside the key's grant) never reach Apollo's request
 * plugins, so `onRefused` reports them to the log and the metrics instead.
 *
 * With `coalescing`, an identical query already executing is joined instead of run again
 * (query-coalescing.ts); joiners never reach Apollo either, so `onCoalesced` reports them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission } from './admission.js';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { formatError } from '../format-error.js';
import { errorCodeOf } from '../plugins/error-code-of.js';
import { withDocumentIdAsExtension } from '../persisted-documents/document-id.js';
import { requestCoalescingKey } from './coalescing-key.js';
import { chooseEncoding, compress, type ContentEncoding } from './compress-response.js';
import type { QueryCoalescing, SettleFlight, SharedAnswer } from './query-coalescing.js';
import type { QueryKinds } from './query-kinds.js';

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
  /** Identical queries in flight share one execution. Default: every request executes. */
  coalescing?: CoalescingOptions;
}

export interface CoalescingOptions {
  /** Fed by queryKindPlugin on the same Apollo server. */
  kinds: QueryKinds;
  flights: QueryCoalescing;
  /**
   * Authenticates a request about to join, as `context` would: throws the same error (with
   * `extensions.http.status`) for a bad, expired or revoked credential, answered as a refusal.
   */
  authorize(args: { req: IncomingMessage; body: unknown; search: string }): Promise<void>;
  /** A request answered with another's execution: for its log line and the request metrics. */
  onCoalesced?(event: Coalesced): void;
}

export interface Coalesced {
  requestId: string;
  /** The request whose execution answered it. */
  leaderRequestId: string;
  operationName: string | null;
  status: number;
  durationMs: number;
  req: IncomingMessage;
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
    const coalescing = options.coalescing;
    const key = coalescing === undefined ? undefined : requestCoalescingKey(coalescing.kinds, req, url.search, text, body);
    if (coalescing === undefined || key === undefined) return admitAndExecute(req, res, requestId, url, started, body, undefined);
    if (coalescing.flights.joinable(key)) {
      // A joiner costs no execution, but is still the caller it says it is.
      try {
        await coalescing.authorize({ req, body, search: url.search });
      } catch (error) {
        return refuseFailedContext(res, { requestId, req, body, search: url.search }, started, error);
      }
      const joined = coalescing.flights.join(key);
      if (joined !== undefined) {
        const answer = await joined;
        if (answer !== undefined) return answerJoiner(res, requestId, req, started, answer, coalescing);
        // The leader's answer was not clean: this request's own, as if coalescing were off.
        return admitAndExecute(req, res, requestId, url, started, body, undefined);
      }
    }
    return admitAndExecute(req, res, requestId, url, started, body, coalescing.flights.lead(key));
  };

  /** Executes the request itself; a leader's `settle` hands its answer on before it is written. */
  const admitAndExecute = async (req: IncomingMessage, res: ServerResponse, requestId: string, url: URL, started: number, body: unknown, settle: SettleFlight | undefined): Promise<void> => {
    try {
      const release = options.admission === undefined ? undefined : await options.admission.enter();
      if (options.admission !== undefined && release === undefined) {
        return refuse(res, { requestId, status: 503, code: 'SERVICE_OVERLOADED' }, started, 'The gateway is serving as many requests as it can; retry after a second', { 'retry-after': '1' }, { retryable: true, retryAfterMs: 1000 });
      }
      try {
        await execute(req, res, requestId, url, started, body, settle);
      } finally {
        release?.();
      }
    } finally {
      // Refused, failed or thrown: the joiners execute on their own (no-op once settled).
      settle?.(undefined);
    }
  };

  const execute = async (req: IncomingMessage, res: ServerResponse, requestId: string, url: URL, started: number, body: unknown, settle: SettleFlight | undefined): Promise<void> => {
    let contextFailure: unknown;
    // Kept: queryKindPlugin marks a clean answer by this very object (Apollo's `request.http`).
    const httpGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers: headerMap(req), search: url.search, body };
    const response = await run(requestId, (runId) =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
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
    const shared = settle === undefined ? undefined : sharedAnswerOf(response, options.coalescing?.kinds.cleanAnswerOf(httpGraphQLRequest), requestId);
    settle?.(shared);
    // A shared answer is encoded to bytes once, for the leader and its joiners alike.
    await writeResponse(res, response, compressionFor(req), compress, shared === undefined ? undefined : () => bytesOf(shared));
  };

  const compressionFor = (req: IncomingMessage): ResponseCompression | undefined =>
    options.compression === undefined ? undefined : { minBytes: options.compression.minBytes, acceptEncoding: req.headers['accept-encoding'] };

  /** The refusal Apollo would have sent for a context that threw `error`, through the same report. */
  const refuseFailedContext = (res: ServerResponse, refusal: { requestId: string; req: IncomingMessage; body: unknown; search: string }, started: number, error: unknown): void => {
    const formatted = formatError(error instanceof Error ? (error as unknown as GraphQLFormattedError) : { message: String(error) }, error);
    const { code, ...extensions } = formatted.extensions ?? {};
    refuse(res, { ...refusal, status: httpStatusOf(error), code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', error }, started, formatted.message, {}, extensions);
  };

  const answerJoiner = async (res: ServerResponse, requestId: string, req: IncomingMessage, started: number, answer: SharedAnswer, coalescing: CoalescingOptions): Promise<void> => {
    const headers = new HeaderMap();
    for (const [name, value] of answer.headers) headers.set(name, value);
    // Compressed once per flight and encoding: joiners asking alike share the bytes too.
    const compressOnce = (text: string, encoding: ContentEncoding): Promise<Buffer> => {
      let compressed = answer.compressed.get(encoding);
      if (compressed === undefined) answer.compressed.set(encoding, (compressed = compress(text, encoding)));
      return compressed;
    };
    await writeResponse(res, { status: answer.status, headers, body: { kind: 'complete', string: answer.body } }, compressionFor(req), compressOnce, () => bytesOf(answer));
    coalescing.onCoalesced?.({ requestId, leaderRequestId: answer.leaderRequestId, operationName: answer.operationName, status: answer.status, durationMs: performance.now() - started, req });
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

/** A leader's answer as joiners get it: only a clean query's complete 200 is shared. */
function sharedAnswerOf(response: HTTPGraphQLResponse, clean: { operationName: string | null } | undefined, requestId: string): SharedAnswer | undefined {
  if (clean === undefined || (response.status ?? 200) !== 200 || response.body.kind !== 'complete') return undefined;
  return { status: 200, headers: [...response.headers], body: response.body.string, operationName: clean.operationName, leaderRequestId: requestId, compressed: new Map() };
}

/** A shared answer's body as UTF-8, encoded by whichever of its requests is written first. */
function bytesOf(answer: SharedAnswer): Buffer {
  return (answer.bytes ??= Buffer.from(answer.body));
}

/** The status Apollo gives an error thrown by the context function (`extensions.http.status`), else 500. */
function httpStatusOf(error: unknown): number {
  const status = (error as { extensions?: { http?: { status?: unknown } } } | undefined)?.extensions?.http?.status;
  return typeof status === 'number' ? status : 500;
}

interface ResponseCompression {
  minBytes: number;
  acceptEncoding: string | undefined;
}

async function writeResponse(
  res: ServerResponse,
  response: HTTPGraphQLResponse,
  compression: ResponseCompression | undefined,
  compressBody: (text: string, encoding: ContentEncoding) => Promise<Buffer> = compress,
  plainBytes?: () => Buffer,
): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    const text = response.body.string;
    // Vary even when this answer goes uncompressed: a cache must not serve it to the next client as is.
    if (compression !== undefined) res.setHeader('vary', 'accept-encoding');
    const encoding = compression !== undefined && text.length >= compression.minBytes ? chooseEncoding(compression.acceptEncoding) : undefined;
    if (encoding === undefined) {
      res.end(plainBytes?.() ?? text);
      return;
    }
    const compressed = await compressBody(text, encoding);
    res.setHeader('content-encoding', encoding);
    res.setHeader('content-length', compressed.length);
    res.end(compressed);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
