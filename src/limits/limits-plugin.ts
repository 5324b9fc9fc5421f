import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { QueryLimitError } from '../errors.js';
import { httpGraphQLError } from '../http/http-graphql-error.js';
import { measureOperation, type OperationMeasures } from './measure-operation.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limits.js';
import { disposeRequestBudget } from './request-budget.js';
import { isTokenLimitError, noteTokenRefusal } from './token-limit.js';

/** Each measure against the limit that bounds it, in the order they are reported. */
const CHECKS: readonly [keyof OperationMeasures, keyof QueryLimits, string][] = [
  ['depth', 'maxDepth', 'The operation nests'],
  ['aliases', 'maxAliases', 'The operation has'],
  ['rootFields', 'maxRootFields', 'The operation asks'],
  ['directives', 'maxDirectives', 'The operation has'],
  ['cost', 'maxCost', 'The operation is estimated at'],
];

const UNITS: Record<keyof OperationMeasures, string> = {
  depth: 'levels deep',
  aliases: 'aliases',
  rootFields: 'root fields',
  directives: 'directives',
  cost: 'cost points',
};

/**
 * Refuses an operation over its caller's limits once it is parsed, validated and chosen, before
 * any resolver runs (so before any vendor call): QUERY_LIMIT_EXCEEDED, HTTP 400, with
 * `extensions.limit`, `max` and `measured`. The limits are the request's (`context.limits`: the
 * API key's own over the gateway's). The document's tokens are bounded earlier, by the parser
 * (MAX_DOCUMENT_TOKENS); its refusal is reported the same way (token-limit.ts).
 */
export function limitsPlugin<TContext extends BaseContext & { limits?: QueryLimits }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart({ request }) {
          return async (error) => {
            if (error !== undefined && isTokenLimitError(error)) noteTokenRefusal(error, request.query);
          };
        },
        async didResolveOperation({ contextValue, document, operation, request, schema }) {
          if (operation === undefined) return;
          const limits = contextValue.limits ?? DEFAULT_QUERY_LIMITS;
          const measures = measureOperation(schema, document, operation, request.variables ?? {});
          for (const [measure, limit, lead] of CHECKS) {
            const measured = measures[measure];
            if (measured > limits[limit]) {
              const shown = Number.isFinite(measured) ? measured : `more than ${limits[limit]}`;
              const error = new QueryLimitError(limit, limits[limit], measured, `${lead} ${shown} ${UNITS[measure]}; the limit for this key is ${limits[limit]}`);
              throw httpGraphQLError(error);
            }
          }
        },
        async willSendResponse({ contextValue }) {
          disposeRequestBudget(contextValue);
        },
      };
    },
  };
}
