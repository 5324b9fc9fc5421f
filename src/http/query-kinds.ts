/**
 * What query coalescing (query-coalescing.ts) learns from Apollo, kept apart from both so the HTTP
 * handler never parses a document and the plugin (plugins/query-kind-plugin.ts) never sees HTTP:
 *
 * - which documents resolved to a `query` (a bounded LRU of document keys): only those may share
 *   an execution, so a document is never coalesced the first time this process sees it;
 * - the write epoch, bumped when a mutation resolves and again when its answer is sent: a flight
 *   started before a write is never joined after it (read-your-writes on this process);
 * - which requests' answers were clean queries (no errors), by the HTTPGraphQLRequest the handler
 *   gave Apollo (Apollo copies the context per request, but passes that object on as
 *   `request.http`): the only answers a flight hands to its joiners.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_MAX_QUERY_DOCUMENTS = 1000;

export class QueryKinds {
  readonly #maxDocuments: number;
  /** Map keeps insertion order: the first key is the least recently used. */
  readonly #queries = new Map<string, true>();
  readonly #clean = new WeakMap<object, { operationName: string | null }>();
  #epoch = 0;

  constructor(maxDocuments = DEFAULT_MAX_QUERY_DOCUMENTS) {
    this.#maxDocuments = maxDocuments;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** A write started or answered: flights in the air may have read what it changed. */
  bumpEpoch(): void {
    this.#epoch += 1;
  }

  isQuery(documentKey: string): boolean {
    if (!this.#queries.has(documentKey)) return false;
    // Touch: the documents asked most stay known.
    this.#queries.delete(documentKey);
    this.#queries.set(documentKey, true);
    return true;
  }

  rememberQuery(documentKey: string): void {
    this.#queries.delete(documentKey);
    this.#queries.set(documentKey, true);
    if (this.#queries.size > this.#maxDocuments) this.#queries.delete(this.#queries.keys().next().value as string);
  }

  /** The request (its `request.http`) answered a query without errors. */
  markClean(request: object, operationName: string | null): void {
    this.#clean.set(request, { operationName });
  }

  /** Set by `markClean`; `undefined` for anything else (a mutation, errors, a refusal). */
  cleanAnswerOf(request: object): { operationName: string | null } | undefined {
    return this.#clean.get(request);
  }
}

/**
 * A document as the client named it: by persisted id (APQ hash, `documentId`) when it sent one,
 * else by its text; with the operation it picked. Hashed, so 1,000 large documents cost 1,000
 * short strings. `undefined`: the request names no document (Apollo will refuse it).
 */
export function documentKeyOf(query: unknown, persistedId: string | undefined, operationName: unknown): string | undefined {
  const name = typeof operationName === 'string' ? operationName : '';
  if (persistedId !== undefined) return sha256(`id\0${persistedId}\0${name}`);
  if (typeof query !== 'string') return undefined;
  return sha256(`text\0${query}\0${name}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
