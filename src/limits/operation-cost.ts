/**
 * The cost of an operation, estimated before it runs with graphql-query-complexity and the
 * estimator below. It is an upper bound on the work, in two parts:
 *
 * - result size: every object field 1 (scalars 0); a page field (`…Page`) multiplies what is under
 *   it by `first` (default 50; an entity list by at most 300, Zuora's cap on a tenant); any other
 *   list by ASSUMED_LIST_SIZE. So a list nested in a list in a list multiplies three times.
 * - vendor calls: each field that can call a vendor adds CALL_COST per call it can make,
 *   multiplied like everything else by the lists around it.
 * - reads: a field that reads far more than it answers (an audit, a graph walk) adds what it can
 *   read (read-cost.ts), so 100 aliases of an audit are refused before the first page is read.
 *
 * A query that asks a 500-item page inside a 500-item page costs 250,000 result items and is
 * refused; one that asks each entity's connections once (the W1 bench) fits.
 */
import { getNamedType, isLeafType, isListType, isNonNullType, type DocumentNode, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_IDENTITY_DEPTH, MAX_IDENTITY_DEPTH } from '../identity/identity-graph.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../lib/paging.js';
import { AUDIT_CALLS, AUDIT_READS, identityWalkCost } from './read-cost.js';

/** The points of one vendor call, against 1 per result object. */
export const CALL_COST = 10;
/** What an unpaged list is assumed to hold (an entity's children, the links to one record). */
export const ASSUMED_LIST_SIZE = 10;
/** A tenant's entities are at most 300 (Zuora answers them unpaged): an entity page holds no more. */
const ENTITY_PAGE_CAP = 300;

/** Vendor calls a field can start each time it is resolved (from the loaders and resolvers). */
const VENDOR_CALLS: Readonly<Record<string, number>> = {
  'Query.node': 1,
  'Query.entity': 1,
  'Query.entities': 1,
  'Query.connections': 1,
  'Query.externalLinks': 2,
  'Query.externalLink': 1,
  'Query.resolveExternalId': 2,
  'Query.integrationSystems': 1,
  'Query.integrationEntityTypes': 1,
  'Query.mappingConfiguration': 1,
  'Entity.connections': 1,
  'Entity.externalLinks': 2,
  'ExternalLink.sameExternal': 2,
  'IdentityNode.entity': 1,
  // Two creates (each may search before re-posting), a compensating delete and read-backs.
  'Mutation.linkEverywhere': 8,
  'Mutation.initiateConnection': 3,
  'Mutation.acceptConnection': 3,
  'Mutation.denyConnection': 3,
  'Mutation.disconnectConnection': 3,
  'Mutation.createExternalLink': 3,
  'Mutation.updateExternalLink': 3,
  'Mutation.deleteExternalLink': 3,
};

/**
 * Fields that read far more than they answer (read-cost.ts): the points of their reads and calls,
 * by their arguments. `linkAudit` and `identityGraph` are priced here, not in VENDOR_CALLS.
 */
const READS: Readonly<Record<string, (args: Record<string, unknown>) => number>> = {
  'Query.linkAudit': () => AUDIT_READS + CALL_COST * AUDIT_CALLS,
  // A depth out of range is refused before the walk (BAD_USER_INPUT); priced at the deepest meanwhile.
  'Query.identityGraph': ({ depth }) => identityWalkCost(typeof depth === 'number' && depth >= 1 && depth <= MAX_IDENTITY_DEPTH ? depth : depth === undefined || depth === null ? DEFAULT_IDENTITY_DEPTH : MAX_IDENTITY_DEPTH, CALL_COST),
};

const isPage = (typeName: string): boolean => typeName.endsWith('Page');

export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const coordinate = `${type.name}.${field.name}`;
  const calls = CALL_COST * (VENDOR_CALLS[coordinate] ?? 0) + (READS[coordinate]?.(args) ?? 0);
  const named = getNamedType(field.type);
  const own = isLeafType(named) ? 0 : 1;
  // The page multiplies; its own `nodes` and `edges` lists do not multiply again.
  if (isPage(type.name)) return calls + own + childComplexity;
  if (isPage(named.name)) {
    const first = typeof args.first === 'number' && args.first >= 1 ? Math.min(args.first, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    return calls + own + Math.min(first, named.name === 'EntityPage' ? ENTITY_PAGE_CAP : first) * childComplexity;
  }
  if (isList(field.type)) return calls + own + ASSUMED_LIST_SIZE * childComplexity;
  return calls + own + childComplexity;
};

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Most field nodes the estimate visits; a document past it is refused as too costly. */
export const MAX_COST_NODES = 10_000;

/**
 * The operation's cost, or `Infinity` when the document has more field nodes than the estimate
 * will visit. Variables are those sent; with variables that do not fit the operation the cost is
 * 0, since the operation will not run: GraphQL refuses them (BAD_USER_INPUT) before executing.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): number {
  try {
    return getComplexity({ schema, query: document, variables, ...(operationName ? { operationName } : {}), estimators: [costEstimator], maxQueryNodes: MAX_COST_NODES });
  } catch (error) {
    if (error instanceof Error && /maximum allowed number of nodes/i.test(error.message)) return Number.POSITIVE_INFINITY;
    if (error instanceof Error && /^Variable "\$/.test(error.message)) return 0;
    throw error;
  }
}
