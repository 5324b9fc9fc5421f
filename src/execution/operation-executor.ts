/**
 * How an operation is executed once Apollo Server has parsed, validated and planned it: queries
 * that come back through graphql-jit, which compiles a document into one JavaScript function per
 * operation, and everything else through graphql-js's `execute`, as Apollo itself would.
 *
 * A compiled query skips graphql-js's per-field work (argument maps, field plans, a promise check
 * per value) and allocates far less. bench:ab measured 0.85x the CPU per request on W1 (pairs
 * 0.81-0.93) and 0.87x on W3 (0.77-1.03). Compiling costs a few milliseconds, so `auto` compiles a
 * query the second time its document runs: the documents an app sends again and again are
 * compiled once, a one-off never is. Mutations keep graphql-js so that Apollo's per-field plugin
 * hooks (the audit log) see every field. Plans are kept per document and operation name in a
 * bounded cache: a client sending ever new documents cannot grow memory.
 *
 * `auto` compiles a query on its `COMPILE_AFTER_RUNS`th run, `always` on its first (tests use it
 * to hold both executors to the same answers), `off` never.
 */
import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type Source, type SourceLocation, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export const COMPILED_EXECUTION_MODES = ['auto', 'always', 'off'] as const;
export type CompiledExecutionMode = (typeof COMPILED_EXECUTION_MODES)[number];

/** The run of a document on which `auto` compiles it: the first repeat. */
export const COMPILE_AFTER_RUNS = 2;

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
  const plans = new Map<string, Plan>();
  const compileOn = mode === 'always' ? 1 : COMPILE_AFTER_RUNS;

  const planFor = (request: OperationRequest): CompiledQuery | null => {
    const key = `${request.queryHash}:${request.operationName ?? ''}`;
    let plan = plans.get(key);
    const cached = plan !== undefined;
    if (plan !== undefined) {
      // Most recently used last, so the first key is the one to evict.
      plans.delete(key);
    } else {
      plan = { runs: 0, compiled: null, tried: request.operation?.operation !== 'query' };
    }
    plans.set(key, plan);
    if (plans.size > cacheSize) plans.delete(plans.keys().next().value!);
    plan.runs += 1;
    if (!plan.tried && plan.runs >= compileOn) {
      plan.tried = true;
      const compiled = compileQuery(schema, request.document, request.operationName ?? undefined, { disablingCapturingStackErrors: true });
      // A document graphql-jit cannot compile runs on graphql-js, which reports any error itself.
      if (isCompiledQuery(compiled)) plan.compiled = compiled;
    }
    onPlan?.({ compiled: plan.compiled !== null, cached });
    return plan.compiled;
  };

  return async (request) => {
    // Nothing runs that Apollo could not pick out: graphql-js would run a lone operation whatever
    // name was asked for (the scope plugin refuses first; this holds even without it).
    if (request.operation === undefined) {
      return { errors: [new GraphQLError('The document does not name one operation to run', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } })] };
    }
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
      // The operation Apollo resolved, by its own name: never graphql-js's pick.
      operationName: request.operation.name?.value,
    });
  };
}

/** What is known of one document and operation name. */
interface Plan {
  runs: number;
  /** The compiled query, or `null` while (or because) the document runs on graphql-js. */
  compiled: CompiledQuery | null;
  /** Whether compiling was tried (mutations and subscriptions count as tried: they never compile). */
  tried: boolean;
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
