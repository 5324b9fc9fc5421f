/**
 * The GraphQL endpoint on plain node:http. One path for every request, each step reading what the
 * one before decided:
 *
 *   identify the caller (headers only) → admission (a fair slot and the bytes it may hold, before
 *   a byte of the body is read) → read the body (bounded) → parse it (values and nesting capped) →
 *   resolve the operation that will run (resolve-operation.ts) → authorize that operation →
 *   join an identical query in flight, or execute it with Apollo, handed a request rebuilt from
 *   the resolution alone.
 *
 * Refusals that happen before Apollo starts a request never reach Apollo's request plugins, so
 * `onRefused` reports them to the log and the metrics instead; with `coalescing`, joiners never
 * reach Apollo either, and `onCoalesced` reports them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission, Release } from './admission.js';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { formatError } from '../format-error.js';
import { errorCodeOf } from '../plugins/error-code-of.js';
import { coalescingKeyOf } from './coalescing-key.js';
import { chooseEncoding, compress, type ContentEncoding } from './compress-response.js';
import { parseJsonBounded, type JsonLimits } from './parse-json-bounded.js';
import type { QueryCoalescing, SettleFlight, SharedAnswer } from './query-coalescing.js';
import type { QueryKinds } from './query-kinds.js';
import { refusedOperation } from './refused-operation.js';
import { apolloRequestOf, type OperationResolver, type ResolutionRefusal, type ResolvedOperation } from './resolve-operation.js';

export interface GraphQLHandlerOptions<TContext extends BaseContext, TCaller> {
  apollo: ApolloServer<TContext>;
  /** Default `/graphql`. */
  path?: string;
  /** Who sends the request, from its headers alone; throws an error carrying `extensions.http.status` (401). */
  identify(req: IncomingMessage): Promise<TCaller>;
  /** The caller's name for fair admission (its key id). */
  callerKey(caller: TCaller): string;
  /** Whether the caller may run only trusted documents (refused before their text is parsed). */
  onlyListed?(caller: TCaller): boolean;
  /** The one decision of what a request runs. */
  resolver: OperationResolver;
  /**
   * Whether `caller` may run `operation` as its headers ask (scope, trusted documents, tenants);
   * throws an error carrying `extensions.http.status` (403). Every request passes it, joiners too.
   */
  authorize(caller: TCaller, operation: ResolvedOperation, req: IncomingMessage): Promise<void>;
  /** Builds a request's context; an error carrying `extensions.http.status` sets the status. */
  context(args: { req: IncomingMessage; requestId: string; caller: TCaller; operation: ResolvedOperation }): Promise<TContext>;
  /** Wraps one request's execution (the gateway counts its vendor calls, and traces it); gives the id to use for it. */
  run?<T extends HTTPGraphQLResponse>(requestId: string, execute: (requestId: string) => Promise<T>, req: IncomingMessage): Promise<T>;
  /** Answers from `minBytes` up are compressed when the client accepts it (compress-response.ts). Default: never. */
  compression?: { minBytes: number };
  /** Largest request body accepted; default 1 MiB. Larger gets 413. */
  maxBodyBytes?: number;
  /** Caps on what a JSON body may parse into. Default: `DEFAULT_JSON_LIMITS`. */
  jsonLimits?: JsonLimits;
  /** Slots and bytes: how many requests execute at once and what they may hold. Default: no cap. */
  admission?: Admission;
  /** A request refused before Apollo started it: for the log line and the request metrics. */
  onRefused?(refusal: Refusal): void;
  /** Identical queries in flight share one execution. Default: every request executes. */
  coalescing?: CoalescingOptions;
}

export interface CoalescingOptions {
  /** Fed by queryKindPlugin on the same Apollo server: the write epoch and clean answers. */
  kinds: QueryKinds;
  flights: QueryCoalescing;
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
  /** The joiner's own key id. */
  keyId?: string;
}

export interface Refusal {
  requestId: string;
  status: number;
  code: string;
  durationMs: number;
  req?: IncomingMessage;
  /** The caller's key id, when it was identified. */
  keyId?: string;
  /** What the request asked to run, as far as it is known: for security and audit lines. */
  operation?: { type: string; rootFields: string[] };
  /** What was thrown, when that was the refusal. */
  error?: unknown;
}

export type GraphQLHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => boolean;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Far above any real request's variables, far below what a padded 1 MiB body parses into. */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxValues: 20_000, maxDepth: 64 };

/**
 * What an admitted request may hold beside its body: the body arrives as chunks, becomes a string
 * and then parsed values (capped by `jsonLimits`), and the answer is built and encoded.
 */
const BODY_COPIES = 4;
const REQUEST_OVERHEAD_BYTES = 256 * 1024;

/** Of a body refused before admission, what is read to name its operation in the security log. */
const REFUSED_BODY_PEEK_BYTES = 8 * 1024;

interface Request<TCaller> {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  url: URL;
  started: number;
  caller?: TCaller;
  keyId?: string;
  operation?: ResolvedOperation;
  /** What an unresolved request's document names, for its refusal's log lines. */
  named?: { type: string; rootFields: string[] };
}

export function createGraphQLHandler<TContext extends BaseContext, TCaller>(options: GraphQLHandlerOptions<TContext, TCaller>): GraphQLHandler {
  const { apollo, path = '/graphql', maxBodyBytes = DEFAULT_MAX_BODY_BYTES, jsonLimits = DEFAULT_JSON_LIMITS, onRefused } = options;
  const run = options.run ?? (<T extends HTTPGraphQLResponse>(requestId: string, execute: (requestId: string) => Promise<T>) => execute(requestId));

  const refuse = (request: Request<TCaller>, refusal: ResolutionRefusal & { error?: unknown }, extensions: Record<string, unknown> = {}): void => {
    const { req, res, requestId, started, keyId } = request;
    const operation = request.operation ?? request.named;
    onRefused?.({
      requestId,
      status: refusal.status,
      code: refusal.code,
      durationMs: performance.now() - started,
      req,
      ...(keyId === undefined ? {} : { keyId }),
      ...(operation === undefined ? {} : { operation: { type: operation.type, rootFields: operation.rootFields } }),
      ...(refusal.error === undefined ? {} : { error: refusal.error }),
    });
    const error = { message: refusal.message, ...(refusal.locations ? { locations: refusal.locations } : {}), extensions: { code: refusal.code, ...extensions } };
    if (!res.headersSent) res.writeHead(refusal.status, { 'content-type': refusalContentType(req), ...refusal.headers }).end(JSON.stringify({ errors: [error] }));
  };

  /** The refusal Apollo would have sent for `error` (a GatewayError as an HTTP GraphQL error). */
  const refuseThrown = (request: Request<TCaller>, error: unknown): void => {
    const formatted = formatError(error instanceof Error ? (error as unknown as GraphQLFormattedError) : { message: String(error) }, error);
    const { code, ...extensions } = formatted.extensions ?? {};
    refuse(request, { status: httpStatusOf(error), code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', message: formatted.message, error }, extensions);
  };

  const handle = async (request: Request<TCaller>): Promise<void> => {
    const { req } = request;
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      request.caller = await options.identify(req);
      request.keyId = options.callerKey(request.caller);
    } catch (error) {
      return refuseUnadmitted(request, error);
    }
    const release = await admit(request);
    if (release === undefined) return;
    let settle: SettleFlight | undefined;
    try {
      const text = await readBody(req, maxBodyBytes);
      if (text === undefined) {
        // The rest of an oversized body is not read; closing keeps the socket from being reused mid-body.
        request.res.setHeader('connection', 'close');
        return refuse(request, { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${maxBodyBytes} bytes` });
      }
      let body: unknown;
      if (method === 'POST' && text !== '' && isJson(req)) {
        const parsed = parseJsonBounded(text, jsonLimits);
        if (!parsed.ok) return refuse(request, { status: 400, code: 'BAD_REQUEST', message: `The request body ${parsed.reason}` });
        body = parsed.value;
      }
      const onlyListed = options.onlyListed?.(request.caller) ?? false;
      const resolution = options.resolver.resolve({ method, search: request.url.search, body, hasBody: text !== '', onlyListed });
      if (!resolution.ok) return refuse(request, resolution.refusal, resolution.refusal.extensions);
      const operation = (request.operation = resolution.operation);
      try {
        await options.authorize(request.caller, operation, req);
      } catch (error) {
        return refuseThrown(request, error);
      }
      const coalescing = options.coalescing;
      if (coalescing !== undefined && operation.type === 'query') {
        const key = coalescingKeyOf(req.rawHeaders, operation);
        const joined = coalescing.flights.join(key);
        if (joined !== undefined) {
          // A joiner executes nothing: its slot goes to the next request while it waits.
          release();
          const answer = await joined;
          if (answer !== undefined) return answerJoiner(request, answer, coalescing);
          // The leader's answer was not clean: this request's own, as if coalescing were off.
          return await admitAndExecute(request, undefined);
        }
        settle = coalescing.flights.lead(key);
      }
      await execute(request, settle);
    } finally {
      release();
      // Refused, failed or thrown: the joiners execute on their own (no-op once settled).
      settle?.(undefined);
    }
  };

  /** A slot and the bytes the request may hold, or the refusal already sent. */
  const admit = async (request: Request<TCaller>): Promise<Release | undefined> => {
    if (options.admission === undefined) return () => {};
    const declared = Number(request.req.headers['content-length']);
    const bodyBytes = Number.isFinite(declared) && declared >= 0 ? Math.min(declared, maxBodyBytes) : maxBodyBytes;
    const bytes = BODY_COPIES * (bodyBytes + request.url.search.length) + REQUEST_OVERHEAD_BYTES;
    const release = await options.admission.enter({ caller: request.keyId ?? '', bytes });
    if (release === undefined) {
      request.res.setHeader('connection', 'close');
      refuse(request, { status: 503, code: 'SERVICE_OVERLOADED', message: 'The gateway is serving as many requests as it can; retry after a second', headers: { 'retry-after': '1' } }, { retryable: true, retryAfterMs: 1000 });
      request.req.resume();
    }
    return release;
  };

  /** A second turn for a joiner whose leader failed: admitted again, executed on its own. */
  const admitAndExecute = async (request: Request<TCaller>, settle: SettleFlight | undefined): Promise<void> => {
    const release = await admit(request);
    if (release === undefined) return;
    try {
      await execute(request, settle);
    } finally {
      release();
    }
  };

  /**
   * A request refused before admission (no or bad credentials): a short body is read to name its
   * operation in the security log; a longer one is left unread and the connection closed.
   */
  const refuseUnadmitted = async (request: Request<TCaller>, error: unknown): Promise<void> => {
    const text = await readBody(request.req, REFUSED_BODY_PEEK_BYTES);
    if (text === undefined) request.res.setHeader('connection', 'close');
    const body = text === undefined || !isJson(request.req) ? undefined : parseJsonBounded(text, jsonLimits);
    const named = refusedOperation(body?.ok ? body.value : undefined, request.url.search);
    if (named !== undefined) request.named = named;
    refuseThrown(request, error);
  };

  const execute = async (request: Request<TCaller>, settle: SettleFlight | undefined): Promise<void> => {
    const { req, res, requestId, started } = request;
    const operation = request.operation!;
    const caller = request.caller as TCaller;
    let contextFailure: unknown;
    // Kept: queryKindPlugin marks a clean answer by this very object (Apollo's `request.http`).
    const httpGraphQLRequest = { ...apolloRequestOf(operation), headers: headerMap(req) };
    const response = await run(
      requestId,
      (runId) =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: async () => {
            try {
              return await options.context({ req, requestId: runId, caller, operation });
            } catch (error) {
              contextFailure = error;
              throw error;
            }
          },
        }),
      req,
    );
    if (contextFailure !== undefined) {
      onRefused?.({
        requestId,
        status: response.status ?? 500,
        code: errorCodeOf(contextFailure),
        durationMs: performance.now() - started,
        req,
        ...(request.keyId === undefined ? {} : { keyId: request.keyId }),
        operation: { type: operation.type, rootFields: operation.rootFields },
        error: contextFailure,
      });
    }
    const shared = settle === undefined ? undefined : sharedAnswerOf(response, options.coalescing?.kinds.cleanAnswerOf(httpGraphQLRequest), requestId);
    settle?.(shared);
    // A shared answer is encoded to bytes once, for the leader and its joiners alike.
    await writeResponse(res, response, compressionFor(req), compress, shared === undefined ? undefined : () => bytesOf(shared));
  };

  const compressionFor = (req: IncomingMessage): ResponseCompression | undefined =>
    options.compression === undefined ? undefined : { minBytes: options.compression.minBytes, acceptEncoding: req.headers['accept-encoding'] };

  const answerJoiner = async ({ req, res, requestId, started, keyId }: Request<TCaller>, answer: SharedAnswer, coalescing: CoalescingOptions): Promise<void> => {
    const headers = new HeaderMap();
    for (const [name, value] of answer.headers) headers.set(name, value);
    // Compressed once per flight and encoding: joiners asking alike share the bytes too.
    const compressOnce = (text: string, encoding: ContentEncoding): Promise<Buffer> => {
      let compressed = answer.compressed.get(encoding);
      if (compressed === undefined) answer.compressed.set(encoding, (compressed = compress(text, encoding)));
      return compressed;
    };
    await writeResponse(res, { status: answer.status, headers, body: { kind: 'complete', string: answer.body } }, compressionFor(req), compressOnce, () => bytesOf(answer));
    coalescing.onCoalesced?.({ requestId, leaderRequestId: answer.leaderRequestId, operationName: answer.operationName, status: answer.status, durationMs: performance.now() - started, req, ...(keyId === undefined ? {} : { keyId }) });
  };

  return (req, res, requestId) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return false;
    const request: Request<TCaller> = { req, res, requestId, url, started: performance.now() };
    handle(request).catch((error: unknown) => {
      // Apollo answers its own failures; this is the socket or a bug. Nothing about it is sent.
      if (!res.headersSent) refuse(request, { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error' });
      else res.destroy(error instanceof Error ? error : undefined);
    });
    return true;
  };
}

/**
 * A refusal's media type as Apollo negotiates its own answers: the GraphQL-over-HTTP type for a
 * client that accepts it (Apollo Client 4 then reads a 401's body as GraphQL errors), else JSON.
 */
function refusalContentType(req: IncomingMessage): string {
  const accept = req.headers.accept ?? '';
  return /application\/graphql-response\+json(?!\s*;\s*q=0(?:\.0*)?\s*(?:,|$))/i.test(accept) ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8';
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
