import { createRequire } from 'node:module';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Caller } from '../callers/caller.js';
import { requireScope } from '../callers/require-scope.js';
import { GatewayError, UnauthenticatedError } from '../errors.js';

/**
 * GraphQLError as Apollo loads it (the CJS build): Apollo takes an error's HTTP status from
 * `extensions.http` only on its own class. Same reasoning as in src/server.ts.
 */
const { GraphQLError } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

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
            const cause = error;
            const status = cause.code === 'UNAUTHENTICATED' ? 401 : 403;
            throw new GraphQLError(cause.message, { originalError: cause, extensions: { code: cause.code, http: { status } } });
          }
        },
      };
    },
  };
}
