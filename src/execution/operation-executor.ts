/**
 * How an operation is executed once Apollo Server has parsed, validated and planned it: large
 * queries through graphql-jit, which compiles a document into one JavaScript function per
 * operation, and everything else through graphql-js's `execute`, as Apollo itself would.
 *
 * A compiled query does a fraction of graphql-js's per-field work; but graphql-js's share of a
 * request is small here (under 10% of W1's CPU, the rest is HTTP, GC and the vendors' JSON), and
 * bench:ab measured no gain on W1 (1.05x, pairs 0.95-1.14), so the setting is off by default. For
 * a few fields compiling costs more than it saves, and mutations keep graphql-js so that Apollo's
 * per-field plugin hooks (the audit log) see every field. Compiled functions are kept per document and operation name, in a
 * bounded cache: a client sending ever new documents re-compiles, it cannot grow memory.
 *
 * `auto` compiles queries of at least `COMPILE_MIN_FIELDS` fields, `always` every query (tests use
 * it to hold both executors to the same answers), `off` none.
 */
import { execute, getVariableValues, GraphQLError, Kind, visit, type DocumentNode, type ExecutionResult, type Source, type SourceLocation, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export const COMPILED_EXECUTION_MODES = ['auto', 'always', 'off'] as const;
export type CompiledExecutionMode = (typeof COMPILED_EXECUTION_MODES)[number];

/** Below this many fields graphql-js is as fast: a W3 lookup gains nothing from compiling. */
export const COMPILE_MIN_FIELDS = 20;

/** Compiled documents kept; the least recently used goes first. */
export const COMPILED_CACHE_SIZE = 500;

export interface OperationRequest {
  document: DocumentNode;
  /** Undefined when the document does not name one operation to run: graphql-js says why. */
  operation: OperationDefinitionNode | undefined;
  operationName: string | null;
  /** Apollo's SHA-256 of the query text: the cache key with the operation name. */
  queryHash: string;
  contextValue: unknown;
  variables: Record<string, unknown> | undefined;
}

export type OperationExecutor = (request: OperationRequest) => Promise<ExecutionResult>;

export interface OperationExecutorOptions {
  mode: CompiledExecutionMode;
  /** Default `COMPILED_CACHE_SIZE`. */
  cacheSize?: number;
  /** Told how each operation runs, and whether its plan came from the cache (metrics, tests). */
  onPlan?: (plan: { compiled: boolean; cached: boolean }) => void;
}

export function createOperationExecutor(schema: GraphQLSchema, { mode, cacheSize = COMPILED_CACHE_SIZE, onPlan }: OperationExecutorOptions): OperationExecutor {
  /** A compiled query, or `null` for a document that runs on graphql-js. */
  const plans = new Map<string, CompiledQuery | null>();

  const planFor = (request: OperationRequest): CompiledQuery | null => {
    const key = `${request.queryHash}:${request.operationName ?? ''}`;
    let plan = plans.get(key);
    if (plan !== undefined) {
      // Most recently used last, so the first key is the one to evict.
      plans.delete(key);
      plans.set(key, plan);
      onPlan?.({ compiled: plan !== null, cached: true });
      return plan;
    }
    plan = null;
    if (request.operation?.operation === 'query' && (mode === 'always' || fieldCount(request.document) >= COMPILE_MIN_FIELDS)) {
      const compiled = compileQuery(schema, request.document, request.operationName ?? undefined, { disablingCapturingStackErrors: true });
      // A document graphql-jit cannot compile runs on graphql-js, which reports any error itself.
      if (isCompiledQuery(compiled)) plan = compiled;
    }
    plans.set(key, plan);
    if (plans.size > cacheSize) plans.delete(plans.keys().next().value!);
    onPlan?.({ compiled: plan !== null, cached: false });
    return plan;
  };

  return async (request) => {
    const plan = mode === 'off' ? null : planFor(request);
    if (mode === 'off') onPlan?.({ compiled: false, cached: false });
    if (plan !== null) {
      // graphql-js judges the variables, so a bad one is refused in its words and shape (Apollo
      // recognizes those as BAD_USER_INPUT, HTTP 400); the compiled query then takes them as sent.
      const coerced = getVariableValues(schema, request.operation?.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 50 });
      if (coerced.errors !== undefined) return { errors: coerced.errors };
      const result = await plan.query(undefined, request.contextValue, request.variables ?? {});
      const source = request.document.loc?.source;
      return result.errors === undefined ? result : { ...result, errors: result.errors.map((error) => asGraphQLError(error, source)) };
    }
    return execute({
      schema,
      document: request.document,
      contextValue: request.contextValue,
      variableValues: request.variables,
      operationName: request.operationName,
    });
  };
}

/**
 * graphql-jit's errors carry locations but no AST nodes and may lack `extensions`; Apollo rebuilds
 * every error from its nodes (or source and positions) and reads its extensions, so as they are
 * they would lose their locations and path. Rebuilt here as graphql-js builds them: the same
 * message, path, cause and extensions, and positions in the document's source for the locations.
 */
function asGraphQLError(error: GraphQLError, source: Source | undefined): GraphQLError {
  if (error.nodes !== undefined) return error;
  const { message, locations, path, originalError, extensions } = error;
  const positions = source === undefined || locations === undefined ? undefined : locations.map((location) => positionOf(source, location));
  return new GraphQLError(message, {
    ...(positions === undefined ? {} : { source, positions }),
    ...(path === undefined ? {} : { path }),
    ...(originalError == null ? {} : { originalError }),
    ...(extensions === undefined ? {} : { extensions }),
  });
}

/** The character offset of a 1-based line and column. */
function positionOf(source: Source, { line, column }: SourceLocation): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = source.body.indexOf('\n', offset);
    if (next === -1) break;
    offset = next + 1;
  }
  return offset + column - 1;
}

/** Every field selection in the document, fragments counted once. */
function fieldCount(document: DocumentNode): number {
  let fields = 0;
  visit(document, {
    [Kind.FIELD]() {
      fields += 1;
    },
  });
  return fields;
}
