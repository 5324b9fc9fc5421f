/**
 * Errors that come with a value. graphql-js gives a field either a value or an error, but a
 * field fed by two providers (m3ter and Rev.io links) should answer what the one that worked
 * found, and still say that the other failed. Its resolver returns the survivors' items and
 * reports the failure here; this plugin adds it to the response's `errors`, with the field's
 * path, through the server's own `formatError` (so it is masked like any other error).
 *
 *   reportPartialError(context, info, error);   // in the resolver, then return what survived
 *   plugins: [partialErrorsPlugin(formatError), ...]   // before the plugins that log errors
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, responsePathAsArray, type GraphQLFormattedError, type GraphQLResolveInfo } from 'graphql';

/** Kept beside the context, not in it: only requests that had a partial failure pay anything. */
const reported = new WeakMap<object, GraphQLError[]>();

/** Records `error` as the error of the field `info` resolves, which still returns a value. */
export function reportPartialError(context: object, info: GraphQLResolveInfo, error: Error): void {
  const located = new GraphQLError(error.message, { nodes: info.fieldNodes, path: responsePathAsArray(info.path), originalError: error });
  const errors = reported.get(context);
  if (errors === undefined) reported.set(context, [located]);
  else errors.push(located);
}

/**
 * Appends the reported errors to the response. Register it before the log, metrics and audit
 * plugins: their `willSendResponse` then counts these errors as a partial outcome.
 */
export function partialErrorsPlugin<TContext extends BaseContext>(formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const errors = reported.get(contextValue);
          if (errors === undefined || response.body.kind !== 'single') return;
          reported.delete(contextValue);
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...errors.map((error) => formatError(error.toJSON(), error))];
        },
      };
    },
  };
}
