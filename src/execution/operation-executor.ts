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
 * cache bounded by the bytes they hold (`COMPILED_CACHE_BYTES`), not only by their number: a
 * client sending ever new documents, or ever larger ones, cannot grow memory.
 *
 * Compiling runs synchronously on the event loop, so its cost is paid by every request in flight,
 * not only by the one that compiles. Only an operation of at most `MAX_COMPILED_FIELDS` fields,
 * counted with its fragments written out in place, is compiled; a larger one runs on graphql-js
 * every time (as `off` would).
 *
 * `auto` compiles a query on its `COMPILE_AFTER_RUNS`th run, `always` on its first (tests use it
 * to hold both executors to the same answers), `off` never.
 */
import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type Source, type SourceLocation, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { ByteBoundedLru, type CacheSize } from '../lib/byte-bounded-lru.js';
import { CompileBudget } from './compile-budget.js';
import { expandedFieldCount } from './expanded-field-count.js';

export const COMPILED_EXECUTION_MODES = ['auto', 'always', 'off'] as const;
export type CompiledExecutionMode = (typeof COMPILED_EXECUTION_MODES)[number];

/** The run of a document on which `auto` compiles it: the first repeat. */
export const COMPILE_AFTER_RUNS = 2;

/** Compiled documents kept; the least recently used goes first. */
export const COMPILED_CACHE_SIZE = 500;

/**
 * The most fields (fragments written out) an operation may have to be compiled. graphql-jit's
 * compile time grows with them, a little faster than linearly: on this schema, warm, 100 fields
 * took 0.8 ms, 250 fields 3.4 ms, 500 fields 7.7-8.8 ms, 1,015 fields 19.6 ms, 2,039 fields
 * 36-96 ms and 8,183 fields (1.2 KB of fragment spreads) 395 ms. 250 keeps a compile to a few
 * ms; W1, the heaviest workload, has 14 fields.
 */
export const MAX_COMPILED_FIELDS = 250;

/**
 * The bytes the plan cache may hold. A compiled plan keeps its document's syntax tree and source
 * text alive (a 100 KB comment included) besides the generated function: measured in heap, about
 * 18 KB plus 2.2 KB per field plus the source text (`compiledPlanBytes`). 32 MB holds some 500
 * plans of W1's size, or 58 of the largest compiled operation with a 1 MB source.
 */
export const COMPILED_CACHE_BYTES = 32 * 1024 * 1024;

/** At most a tenth of the event loop goes to compiling: some 30 compiles a second of the largest operations, hundreds of W1's size. */
export const COMPILE_BUDGET_MS_PER_SECOND = 100;

/** What a plan holds before (or without) a compiled query: its key and run count. */
const PLAN_RECORD_BYTES = 256;

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
  /** Default `COMPILED_CACHE_BYTES`. */
  cacheBytes?: number;
  /** Default `MAX_COMPILED_FIELDS`. */
  maxCompiledFields?: number;
  /** Default `COMPILE_BUDGET_MS_PER_SECOND`. */
  compileBudgetMs?: number;
  /** For tests: the millisecond clock the compile budget reads. */
  now?: () => number;
  /** Told how each operation runs, and whether its plan came from the cache (metrics, tests). */
  onPlan?: (plan: { compiled: boolean; cached: boolean }) => void;
}

export function createOperationExecutor(
  schema: GraphQLSchema,
  { mode, cacheSize = COMPILED_CACHE_SIZE, cacheBytes = COMPILED_CACHE_BYTES, maxCompiledFields = MAX_COMPILED_FIELDS, compileBudgetMs = COMPILE_BUDGET_MS_PER_SECOND, now, onPlan }: OperationExecutorOptions,
): OperationExecutor & { planCache: CacheSize } {
  const plans = new ByteBoundedLru<Plan>({ maxBytes: cacheBytes, maxEntries: cacheSize });
  const compileOn = mode === 'always' ? 1 : COMPILE_AFTER_RUNS;
  const budget = new CompileBudget(compileBudgetMs, now);

  const planFor = (request: OperationRequest): CompiledQuery | null => {
    const key = `${request.queryHash}:${request.operationName ?? ''}`;
    let plan = plans.get(key);
    const cached = plan !== undefined;
    if (plan === undefined) {
      plan = { runs: 0, compiled: null, tried: request.operation?.operation !== 'query', bytes: PLAN_RECORD_BYTES + key.length };
      plans.set(key, plan, plan.bytes);
    }
    plan.runs += 1;
    if (!plan.tried && plan.runs >= compileOn) {
      const fields = request.operation === undefined ? Number.POSITIVE_INFINITY : expandedFieldCount(request.document, request.operation, maxCompiledFields);
      const compiled = fields > maxCompiledFields ? null : budget.spend(() => compileQuery(schema, request.document, request.operationName ?? undefined, { disablingCapturingStackErrors: true }));
      // Tried for good unless the budget put it off.
      plan.tried = compiled !== undefined;
      // A document graphql-jit cannot compile runs on graphql-js, which reports any error itself.
      if (compiled != null && isCompiledQuery(compiled)) {
        plan.compiled = compiled;
        plan.bytes = compiledPlanBytes(fields, request.document) + key.length;
        // Weighed again with what it now holds; a plan too large to keep is dropped, and the
        // document starts its count anew if it comes back.
        plans.set(key, plan, plan.bytes);
      }
    }
    onPlan?.({ compiled: plan.compiled !== null, cached });
    return plan.compiled;
  };

  const executor: OperationExecutor = async (request) => {
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
  return Object.assign(executor, { planCache: plans as CacheSize });
}

/** The heap a compiled plan holds, as measured (see `COMPILED_CACHE_BYTES`): the generated code, the syntax tree and the source text. */
export function compiledPlanBytes(fields: number, document: DocumentNode): number {
  return 18 * 1024 + fields * 2200 + (document.loc?.source.body.length ?? 0);
}

/** What is known of one document and operation name. */
interface Plan {
  runs: number;
  /** What it weighs in the cache. */
  bytes: number;
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
