/**
 * Puts every field of the built schema under the request's budget unless FREE_FIELDS declares
 * it free, so a new field is budgeted by default and cannot be left out by forgetting a list
 * (`linkAudit` and `identityGraph` were, when the list named the budgeted fields instead). A
 * budgeted field:
 * - never waits past the request's deadline: at the deadline it fails with REQUEST_TIMEOUT and
 *   the answer goes out with what is ready (the vendor calls still in flight finish unobserved);
 * - counts every list it returns against the answer's item budget.
 * Its vendor calls count against maxVendorCalls wherever they start (observability/
 * upstream-call-counter.ts), budgeted or not.
 *
 * Mutations are budgeted but not cut at the deadline: answering before a write settles would
 * only turn a known outcome into an unknown one; their own upstream deadlines bound them, and
 * their items and vendor calls still count.
 *
 * Which fields are wrapped, decided from the schema:
 * - every field of Query and Mutation, default resolver or not;
 * - every field with a resolver of its own (it may reach the context, so a loader or a vendor);
 * - every list field (a list is items, whoever builds it);
 * - not a field on the default resolver that returns one value: it reads a property of a parent
 *   that is already loaded, and wrapping it would cost every object of a large answer.
 */
import { defaultFieldResolver, getNullableType, isListType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limits.js';
import { requestBudget } from './request-budget.js';

type Context = { limits?: QueryLimits };

/**
 * Fields answered from data already loaded, by `Type.field`, each with why. A field with a
 * resolver may be here only if that resolver takes no context (it cannot reach a loader or a
 * vendor); test/unit/limits/with-request-budget.test.ts holds every entry to that.
 */
export const FREE_FIELDS: readonly string[] = [
  // Ids and a derived direction, computed from the object's own properties.
  'Entity.id',
  'Entity.entityId',
  'Connection.id',
  'Connection.connectionId',
  'Connection.direction',
  'ExternalLink.id',
  'ExternalLink.version',
  // A page's lists: the field that returned the page counted its items already (itemsIn below).
  'EntityPage.nodes',
  'EntityPage.edges',
  'ConnectionPage.nodes',
  'ConnectionPage.edges',
  'ExternalLinkPage.nodes',
  'ExternalLinkPage.edges',
  // The walk counted every record and link it holds while it ran (identity/identity-graph.ts).
  'IdentityGraph.nodes',
  'IdentityGraph.edges',
];

/** The resolvers this module put under the budget: how a test tells a budgeted field. */
const budgetedResolvers = new WeakSet<GraphQLFieldResolver<unknown, Context>>();

export function isBudgeted(resolve: unknown): boolean {
  return typeof resolve === 'function' && budgetedResolvers.has(resolve as GraphQLFieldResolver<unknown, Context>);
}

/** Wraps the schema's fields in place (the schema is the server's own, just built) and returns it. */
export function withRequestBudget(schema: GraphQLSchema, free: readonly string[] = FREE_FIELDS): GraphQLSchema {
  const freeFields = new Set(free);
  const roots = new Set([schema.getQueryType(), schema.getMutationType()].filter((type) => type != null));
  const mutation = schema.getMutationType();
  for (const coordinate of freeFields) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    // A free entry naming no field would free nothing, and hide a renamed field from review.
    if (!isObjectType(type) || type.getFields()[fieldName] === undefined) throw new Error(`FREE_FIELDS names ${coordinate}, which is not a field of the schema`);
    if (roots.has(type)) throw new Error(`FREE_FIELDS names ${coordinate}, a root field: every root field is budgeted`);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (freeFields.has(`${type.name}.${field.name}`) || isBudgeted(field.resolve)) continue;
      if (!roots.has(type) && field.resolve === undefined && !isListType(getNullableType(field.type))) continue;
      field.resolve = budgeted(field.resolve ?? defaultFieldResolver, type !== mutation);
    }
  }
  return schema;
}

function budgeted(resolve: GraphQLFieldResolver<unknown, Context>, deadline: boolean): GraphQLFieldResolver<unknown, Context> {
  const wrapped: GraphQLFieldResolver<unknown, Context> = (parent, args, context, info) => {
    // First, so the calls the resolver starts already carry the request's deadline; a mutation's
    // do not (cut mid-write, a known outcome would become an unknown one).
    const budget = requestBudget(context, context.limits ?? DEFAULT_QUERY_LIMITS, { bindCalls: deadline });
    const result = resolve(parent, args, context, info);
    if (!(result instanceof Promise)) {
      budget.countItems(itemsIn(result));
      return result;
    }
    return (deadline ? Promise.race([result, budget.deadline]) : result).then((value) => {
      budget.countItems(itemsIn(value));
      return value;
    });
  };
  budgetedResolvers.add(wrapped);
  return wrapped;
}

/**
 * List items in a resolver's answer: an array's length, or a page's `nodes` (a page is known by
 * its `pageInfo`: an identity graph's `nodes` were counted by its walk).
 */
function itemsIn(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  const page = value as { nodes?: unknown; pageInfo?: unknown } | null | undefined;
  return page?.pageInfo !== undefined && Array.isArray(page.nodes) ? page.nodes.length : 0;
}
