/**
 * The one decision of what a GraphQL request will run, made once, before anything else reads the
 * request: its document (sent as text, named by a persisted id, or listed in the trusted
 * documents manifest), the operation in it, the operation's type, its variables and the id the
 * client named it by. Every check (scope, trusted documents, limits, input lengths, audit,
 * idempotency, the coalescing key) reads this decision, and Apollo is handed a request rebuilt
 * from it alone (`apolloRequestOf`), so nothing can check one operation and run another.
 *
 * Where the operation comes from follows Apollo exactly: a GET's URL, a POST's JSON body, never
 * both. A request that carries an operation in both places, a GET with a body, or a document that
 * does not name exactly one operation to run is refused here; so is a variable the operation
 * does not declare. What cannot be resolved does not run.
 */
import { createHash } from 'node:crypto';
import { getOperationAST, GraphQLError, parse, type DocumentNode, type FieldNode, type OperationDefinitionNode, type OperationTypeNode } from 'graphql';
import { ByteBoundedLru } from '../lib/byte-bounded-lru.js';
import { documentBytes } from '../execution/document-store.js';
import { isRecord } from '../lib/is-record.js';
import { MAX_DOCUMENT_TOKENS } from '../limits/query-limits.js';
import { countTokens, isTokenLimitError } from '../limits/token-limit.js';
import type { TrustedDocuments } from '../persisted-documents/trusted-documents.js';

export interface ResolvedOperation {
  method: 'GET' | 'POST';
  /** The text that runs (a manifest's or the APQ cache's text for a request sent by id). */
  query: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  type: OperationTypeNode;
  /** The operation's own name; null for an anonymous one. */
  operationName: string | null;
  /** What the client sent as `operationName`, as Apollo is handed it. */
  requestedName: string | undefined;
  variables: Record<string, unknown> | undefined;
  /** Extensions as Apollo is handed them: the persisted-query id is resolved here and dropped. */
  extensions: Record<string, unknown> | undefined;
  /** The id the client named the document by (APQ hash or `documentId`), if any. */
  documentId: string | undefined;
  /** Whether the document is the trusted documents manifest's, run by its id. */
  listed: boolean;
  /** Names of the operation's root fields, for logs and audit lines. */
  rootFields: string[];
}

/** Why a request cannot be resolved, as the HTTP answer says it. */
export interface ResolutionRefusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  locations?: readonly { line: number; column: number }[];
  /** Facts beside the code a client can act on (a limit's name and numbers). */
  extensions?: Record<string, unknown>;
}

export type Resolution = { ok: true; operation: ResolvedOperation } | { ok: false; refusal: ResolutionRefusal };

export interface OperationResolverOptions {
  /** The parser's token budget (Apollo's `parseOptions.maxTokens`, the same number). */
  maxTokens: number;
  trustedDocuments?: TrustedDocuments;
  /** Bytes the parsed-document cache may hold (source text counted). */
  documentCacheBytes: number;
  /** Bytes the automatic persisted queries cache may hold. */
  persistedQueryCacheBytes: number;
}

/** What a request carries, as read from the HTTP layer. */
export interface RequestSource {
  method: string;
  /** The URL's query string, `?` included or empty. */
  search: string;
  /** The parsed JSON body of a POST; `undefined` when there is none. */
  body: unknown;
  /** Whether any body bytes arrived. */
  hasBody: boolean;
  /**
   * The caller may run only the trusted documents manifest's operations: anything else is refused
   * before its text is parsed or an APQ id registered.
   */
  onlyListed?: boolean;
}

/** URL parameters that carry an operation (Apollo's GET parameters, and the draft's documentId). */
const OPERATION_PARAMETERS = ['query', 'operationName', 'variables', 'extensions', 'documentId'] as const;

export interface OperationResolver {
  resolve(source: RequestSource): Resolution;
  /** Bytes the caches hold now (parsed documents, persisted query texts). */
  readonly cacheBytes: { documents: number; persistedQueries: number };
}

export function createOperationResolver(options: OperationResolverOptions): OperationResolver {
  const documents = new ByteBoundedLru<DocumentNode | GraphQLError>({ maxBytes: Math.max(1, options.documentCacheBytes) });
  const persistedQueries = new ByteBoundedLru<string>({ maxBytes: Math.max(1, options.persistedQueryCacheBytes) });

  const parsed = (query: string): DocumentNode | GraphQLError => {
    let document = documents.get(query);
    if (document === undefined) {
      try {
        document = parse(query, { maxTokens: options.maxTokens });
      } catch (error) {
        document = error instanceof GraphQLError ? error : new GraphQLError(String(error));
      }
      // The key and the document's source are one string; documentBytes counts it with the tree.
      documents.set(query, document, document instanceof GraphQLError ? query.length + 256 : documentBytes(document));
    }
    return document;
  };

  const resolve = (source: RequestSource): Resolution => {
    const params = paramsOf(source);
    if (!params.ok) return params;
    const { method, query: sent, operationName, variables, extensions } = params.value;
    const { documentId, rest: otherExtensions, version } = persistedIdOf(extensions);
    if (version !== undefined && version !== 1) return refused(400, 'PERSISTED_QUERY_NOT_SUPPORTED', 'Unsupported persisted query version');

    const manifestText = documentId === undefined ? undefined : options.trustedDocuments?.get(documentId);
    if (source.onlyListed === true && manifestText === undefined) {
      const why = documentId === undefined ? 'by id (extensions.persistedQuery.sha256Hash or documentId); this request sent none' : 'and the manifest has no operation with this id';
      return refused(403, 'OPERATION_NOT_ALLOWLISTED', `This API key may run only trusted documents, ${why}`);
    }
    let query = sent;
    let listed = false;
    if (documentId !== undefined) {
      const manifest = manifestText;
      if (manifest !== undefined) {
        if (sent !== undefined && sent !== manifest) return refused(400, 'BAD_REQUEST', 'The query sent does not match the trusted document with this id');
        query = manifest;
        listed = true;
      } else if (sent !== undefined) {
        if (sha256Hex(sent) !== documentId) return refused(400, 'BAD_REQUEST', 'provided sha does not match query');
        persistedQueries.set(documentId, sent, 2 * sent.length + documentId.length);
      } else {
        query = persistedQueries.get(documentId);
        // Apollo's answer for the APQ protocol: the client sends the text next.
        if (query === undefined) return refused(200, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', { 'cache-control': 'private, no-cache, must-revalidate' });
      }
    }
    if (query === undefined || query === '') return refused(400, 'BAD_REQUEST', 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.');

    const document = parsed(query);
    if (document instanceof GraphQLError) return { ok: false, refusal: parseRefusal(document, query) };
    const operation = getOperationAST(document, operationName) ?? undefined;
    if (operation === undefined) return refused(400, 'OPERATION_RESOLUTION_FAILURE', unresolvedMessage(document, operationName));
    if (method === 'GET' && operation.operation !== 'query') {
      return refused(405, 'BAD_REQUEST', `Can only perform a ${operation.operation} operation from a POST request.`, { allow: 'POST' });
    }
    const declared = new Set(operation.variableDefinitions?.map((definition) => definition.variable.name.value));
    const undeclared = Object.keys(variables ?? {}).filter((name) => !declared.has(name));
    if (undeclared.length > 0) {
      const names = undeclared.slice(0, 5).map((name) => `$${name.slice(0, 64)}`).join(', ');
      return refused(400, 'BAD_USER_INPUT', `Variables ${names}${undeclared.length > 5 ? ' and more' : ''} are not declared by the operation; send only the variables it declares`);
    }
    return {
      ok: true,
      operation: {
        method,
        query,
        document,
        operation,
        type: operation.operation,
        operationName: operation.name?.value ?? null,
        requestedName: operationName,
        variables,
        extensions: otherExtensions,
        documentId,
        listed,
        rootFields: operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === 'Field').map((field) => field.name.value),
      },
    };
  };

  return {
    resolve,
    get cacheBytes() {
      return { documents: documents.bytes, persistedQueries: persistedQueries.bytes };
    },
  };
}

/**
 * The request Apollo runs, rebuilt from the decision alone: a GET's URL or a POST's body holding
 * exactly the resolved text, name, variables and extensions, nothing the client sent beside them.
 */
export function apolloRequestOf(resolved: ResolvedOperation): { method: 'GET' | 'POST'; search: string; body: unknown } {
  const params = {
    query: resolved.query,
    ...(resolved.requestedName === undefined ? {} : { operationName: resolved.requestedName }),
    ...(resolved.variables === undefined ? {} : { variables: resolved.variables }),
    ...(resolved.extensions === undefined ? {} : { extensions: resolved.extensions }),
  };
  if (resolved.method === 'POST') return { method: 'POST', search: '', body: params };
  const search = new URLSearchParams({ query: params.query });
  if (params.operationName !== undefined) search.set('operationName', params.operationName);
  if (params.variables !== undefined) search.set('variables', JSON.stringify(params.variables));
  if (params.extensions !== undefined) search.set('extensions', JSON.stringify(params.extensions));
  return { method: 'GET', search: `?${search.toString()}`, body: undefined };
}

interface Params {
  method: 'GET' | 'POST';
  query: string | undefined;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  extensions: Record<string, unknown> | undefined;
}

/** The operation's parameters from the one place Apollo reads them for this method. */
function paramsOf({ method, search, body, hasBody }: RequestSource): { ok: true; value: Params } | { ok: false; refusal: ResolutionRefusal } {
  const url = new URLSearchParams(search);
  if (method === 'GET') {
    if (hasBody) return refused(400, 'BAD_REQUEST', 'A GET request carries its operation in the URL and must not have a body');
    const single = (name: string): string | undefined | ResolutionRefusal => {
      const values = url.getAll(name);
      if (values.length > 1) return refusal(400, 'BAD_REQUEST', `The '${name}' search parameter may only be specified once.`);
      return values[0];
    };
    const json = (name: string): Record<string, unknown> | undefined | ResolutionRefusal => {
      const raw = single(name);
      if (raw === undefined || typeof raw !== 'string') return raw;
      try {
        const value: unknown = JSON.parse(raw);
        if (isRecord(value)) return value;
      } catch {
        return refusal(400, 'BAD_REQUEST', `The ${name} search parameter contains invalid JSON.`);
      }
      return refusal(400, 'BAD_REQUEST', `The ${name} search parameter should contain a JSON-encoded object.`);
    };
    const query = single('query');
    const operationName = single('operationName');
    const variables = json('variables');
    const extensions = json('extensions');
    const documentId = single('documentId');
    for (const value of [query, operationName, variables, extensions, documentId]) if (isRefusal(value)) return { ok: false, refusal: value };
    return {
      ok: true,
      value: {
        method,
        query: query as string | undefined,
        operationName: operationName as string | undefined,
        variables: variables as Record<string, unknown> | undefined,
        extensions: withDocumentId(extensions as Record<string, unknown> | undefined, documentId as string | undefined, query as string | undefined),
      },
    };
  }
  if (method !== 'POST') return refused(405, 'BAD_REQUEST', 'GraphQL is served over GET and POST only.', { allow: 'GET, POST' });
  const inUrl = OPERATION_PARAMETERS.filter((name) => url.has(name));
  if (inUrl.length > 0) return refused(400, 'BAD_REQUEST', `A POST request carries its operation in the body; the URL must not also carry ${inUrl.join(', ')}`);
  if (!isRecord(body) || Object.keys(body).length === 0) return refused(400, 'BAD_REQUEST', 'POST body missing, invalid Content-Type, or JSON object has no keys.');
  const { query, operationName, variables, extensions, documentId } = body;
  if (query !== undefined && query !== null && typeof query !== 'string') return refused(400, 'BAD_REQUEST', 'GraphQL queries must be strings.');
  if (variables !== undefined && variables !== null && !isRecord(variables)) return refused(400, 'BAD_REQUEST', '`variables` in a POST body must be an object if provided.');
  if (extensions !== undefined && extensions !== null && !isRecord(extensions)) return refused(400, 'BAD_REQUEST', '`extensions` in a POST body must be an object if provided.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return refused(400, 'BAD_REQUEST', '`operationName` in a POST body must be a string if provided.');
  if (documentId !== undefined && typeof documentId !== 'string') return refused(400, 'BAD_REQUEST', '`documentId` in a POST body must be a string if provided.');
  const text = typeof query === 'string' ? query : undefined;
  return {
    ok: true,
    value: {
      method,
      query: text,
      operationName: typeof operationName === 'string' ? operationName : undefined,
      variables: isRecord(variables) ? variables : undefined,
      extensions: withDocumentId(isRecord(extensions) ? extensions : undefined, documentId, text),
    },
  };
}

/** The GraphQL-over-HTTP draft's `documentId` as the persisted-query id, when no text is sent. */
function withDocumentId(extensions: Record<string, unknown> | undefined, documentId: string | undefined, query: string | undefined): Record<string, unknown> | undefined {
  if (documentId === undefined || query !== undefined) return extensions;
  return { ...extensions, persistedQuery: { version: 1, sha256Hash: documentId } };
}

function persistedIdOf(extensions: Record<string, unknown> | undefined): { documentId: string | undefined; version: unknown; rest: Record<string, unknown> | undefined } {
  if (extensions === undefined || !('persistedQuery' in extensions)) return { documentId: undefined, version: undefined, rest: extensions };
  const { persistedQuery, ...rest } = extensions;
  const hash = isRecord(persistedQuery) ? persistedQuery.sha256Hash : undefined;
  const version = isRecord(persistedQuery) ? persistedQuery.version : persistedQuery;
  return { documentId: typeof hash === 'string' && hash !== '' ? hash : undefined, version: version ?? 'none', rest: Object.keys(rest).length === 0 ? undefined : rest };
}

/** A syntax error as Apollo reports it; the parser's token cap as the query limit it is (limits/token-limit.ts). */
function parseRefusal(error: GraphQLError, query: string): ResolutionRefusal {
  if (isTokenLimitError(error)) {
    const measured = countTokens(query);
    return {
      status: 400,
      code: 'QUERY_LIMIT_EXCEEDED',
      message: `The document has ${measured} tokens; the limit is ${MAX_DOCUMENT_TOKENS}`,
      extensions: { limit: 'maxTokens', max: MAX_DOCUMENT_TOKENS, measured },
    };
  }
  return { status: 400, code: 'GRAPHQL_PARSE_FAILED', message: error.message, ...(error.locations ? { locations: error.locations } : {}) };
}

function unresolvedMessage(document: DocumentNode, operationName: string | undefined): string {
  const operations = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
  if (operations.length === 0) return 'The document has no operation to run';
  if (operationName === undefined) return 'The document has several operations: name the one to run in operationName';
  return `The document has no operation named "${operationName.slice(0, 100)}"`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function refusal(status: number, code: string, message: string, headers?: Record<string, string>): ResolutionRefusal {
  return { status, code, message, ...(headers === undefined ? {} : { headers }) };
}

function refused(status: number, code: string, message: string, headers?: Record<string, string>): { ok: false; refusal: ResolutionRefusal } {
  return { ok: false, refusal: refusal(status, code, message, headers) };
}

function isRefusal(value: unknown): value is ResolutionRefusal {
  return isRecord(value) && typeof value.code === 'string' && typeof value.status === 'number';
}
