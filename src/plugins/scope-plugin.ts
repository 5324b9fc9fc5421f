import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Caller } from '../callers/caller.js';
import { requireScope } from '../callers/require-scope.js';
import { GatewayError, UnauthenticatedError } from '../errors.js';
import { httpGraphQLError } from '../http/http-graphql-error.js';

export interface ScopePluginOptions<TContext> {
  /** The authenticated caller of a request; `undefined` is refused as UNAUTHENTICATED. */
  callerOf: (context: TContext) => Caller | undefined;
}

/**
 * Queries need the `read` scope, mutations `write`. Checked once the operation is known and
 * before any resolver runs, so a refused request makes no upstream call: FORBIDDEN with HTTP 403
 * (UNAUTHENTICATED with 401 when there is no caller).
 */
export function scopePlugin<TContext extends BaseContext>({ callerOf }: ScopePluginOptions<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          try {
            const caller = callerOf(contextValue);
            if (caller === undefined) throw new UnauthenticatedError('An API key is required');
            requireScope(caller, operation?.operation === 'mutation' ? 'write' : 'read');
          } catch (error) {
            if (!(error instanceof GatewayError)) throw error;
            throw httpGraphQLError(error);
          }
        },
      };
    },
  };
}
