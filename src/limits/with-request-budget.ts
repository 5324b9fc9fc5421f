/**
 * Wraps the resolvers that wait on a vendor call of their own, and those that return lists, so
 * that, while a query runs:
 * - none waits past the request's deadline: at the deadline it fails with REQUEST_TIMEOUT and
 *   the answer goes out with what is ready (the vendor calls still in flight finish unobserved);
 * - every list it returns counts against the answer's item budget.
 * Mutations are left to their own upstream deadlines: answering before a write settles would only
 * turn a known outcome into an unknown one. Relations answered from the request's entity list
 * (`parent`, `source`, `target`, a link's `entity`) are not wrapped: the list is one call with its
 * own upstream deadline, and these fields run thousands of times in a graph query.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limits.js';
import { requestBudget } from './request-budget.js';

type FieldResolver = (parent: unknown, args: unknown, context: { limits?: QueryLimits }, info: GraphQLResolveInfo) => unknown;
type ResolverMap = Record<string, Record<string, unknown>>;

/** Fields that start vendor calls or return lists, by `Type.field`. */
export const BUDGETED_FIELDS: readonly string[] = [
  'Query.node',
  'Query.entity',
  'Query.entities',
  'Query.connections',
  'Query.externalLinks',
  'Query.externalLink',
  'Query.resolveExternalId',
  'Query.integrationSystems',
  'Query.integrationEntityTypes',
  'Query.mappingConfiguration',
  'Entity.children',
  'Entity.connections',
  'Entity.externalLinks',
  'ExternalLink.sameExternal',
];

export function withRequestBudget<R extends object>(resolvers: R, fields = BUDGETED_FIELDS): R {
  const wrapped: ResolverMap = { ...(resolvers as ResolverMap) };
  for (const coordinate of fields) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const resolve = wrapped[typeName]?.[fieldName];
    if (typeof resolve !== 'function') throw new Error(`BUDGETED_FIELDS names ${coordinate}, which has no resolver`);
    wrapped[typeName] = { ...wrapped[typeName], [fieldName]: budgeted(resolve as FieldResolver) };
  }
  return wrapped as R;
}

function budgeted(resolve: FieldResolver): FieldResolver {
  return (parent, args, context, info) => {
    // First, so the calls the resolver starts already carry the request's deadline.
    const budget = requestBudget(context, context.limits ?? DEFAULT_QUERY_LIMITS);
    const result = resolve(parent, args, context, info);
    if (!(result instanceof Promise)) {
      budget.countItems(itemsIn(result));
      return result;
    }
    return Promise.race([result, budget.deadline]).then((value) => {
      budget.countItems(itemsIn(value));
      return value;
    });
  };
}

/** List items in a resolver's answer: an array's length, or a page's `nodes`. */
function itemsIn(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  const nodes = (value as { nodes?: unknown } | null | undefined)?.nodes;
  return Array.isArray(nodes) ? nodes.length : 0;
}
