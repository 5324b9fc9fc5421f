import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { Caller } from '../callers/caller.js';
import { requireScope } from '../callers/require-scope.js';
import { GatewayError, OperationResolutionError, UnauthenticatedError } from '../errors.js';
import { httpGraphQLError } from '../http/http-graphql-error.js';

/** What the HTTP layer decided the request runs (http/resolve-operation.ts), as the context carries it. */
export interface OperationDecision {
  type: string;
  operationName: string | null;
}

export interface ScopePluginOptions<TContext> {
  /** The authenticated caller of a request; `undefined` is refused as UNAUTHENTICATED. */
  callerOf: (context: TContext) => Caller | undefined;
  /** The operation the HTTP layer resolved for the request; `undefined` in process (tests). */
  decisionOf: (context: TContext) => OperationDecision | undefined;
}

/**
 * Queries need the `read` scope, mutations `write`, and nothing runs unless both the HTTP layer's
 * decision and Apollo name the same operation: checked once the operation is known and before any
 * resolver runs, so a refused request makes no upstream call. No operation (an operationName
 * that names none) is OPERATION_RESOLUTION_FAILURE (400), never read as a query; a missing caller
 * is UNAUTHENTICATED (401), a missing scope FORBIDDEN (403).
 */
export function scopePlugin<TContext extends BaseContext>({ callerOf, decisionOf }: ScopePluginOptions<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          try {
            const type = checkedType(operation, decisionOf(contextValue));
            const caller = callerOf(contextValue);
            if (caller === undefined) throw new UnauthenticatedError('An API key is required');
            requireScope(caller, type === 'query' ? 'read' : 'write');
          } catch (error) {
            if (!(error instanceof GatewayError)) throw error;
            throw httpGraphQLError(error);
          }
        },
      };
    },
  };
}

/** The type of the one operation both sides agree will run; anything else refuses. */
function checkedType(operation: OperationDefinitionNode | undefined, decision: OperationDecision | undefined): string {
  if (operation === undefined) throw new OperationResolutionError('The document does not name one operation to run');
  const name = operation.name?.value ?? null;
  if (decision !== undefined && (decision.type !== operation.operation || decision.operationName !== name)) {
    throw new OperationResolutionError('The operation to run is not the one the request was checked for');
  }
  return operation.operation;
}
