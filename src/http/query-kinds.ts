/**
 * What query coalescing (query-coalescing.ts) learns from Apollo, kept apart from both so the
 * plugin (plugins/query-kind-plugin.ts) never sees HTTP. Which operations are queries is not among
 * it: the handler resolves that itself, once (resolve-operation.ts).
 *
 * - the write epoch, bumped when a mutation resolves and again when its answer is sent: a flight
 *   started before a write is never joined after it (read-your-writes on this process);
 * - which requests' answers were clean queries (no errors), by the HTTPGraphQLRequest the handler
 *   gave Apollo (Apollo copies the context per request, but passes that object on as
 *   `request.http`): the only answers a flight hands to its joiners.
 */
export class QueryKinds {
  readonly #clean = new WeakMap<object, { operationName: string | null }>();
  #epoch = 0;

  get epoch(): number {
    return this.#epoch;
  }

  /** A write started or answered: flights in the air may have read what it changed. */
  bumpEpoch(): void {
    this.#epoch += 1;
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
