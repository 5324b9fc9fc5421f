import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { QueryKinds } from '../http/query-kinds.js';

export interface QueryKindPluginOptions {
  /** The process's one record, shared with the HTTP handler's coalescing. */
  kinds: QueryKinds;
}

/**
 * Tells query coalescing (http/query-coalescing.ts) what only Apollo knows: when a write happens,
 * and whether an answer was clean. Register it after partialErrorsPlugin (createServer puts that
 * first): an answer with a partial error is not clean.
 */
export function queryKindPlugin<TContext extends BaseContext>({ kinds }: QueryKindPluginOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      let type: string | undefined;
      return {
        async didResolveOperation({ operation }) {
          type = operation?.operation;
          // Before it writes: a flight started from now on may read its result, and none before is joined.
          if (type === 'mutation') kinds.bumpEpoch();
        },
        async willSendResponse({ request: { http }, response, operationName: resolvedName }) {
          if (type === 'mutation') {
            // Its answer is about to leave: a query sent after it must not join a flight that started during the write.
            kinds.bumpEpoch();
            return;
          }
          if (type !== 'query' || http === undefined || response.body.kind !== 'single' || (response.http.status ?? 200) !== 200) return;
          if ((response.body.singleResult.errors?.length ?? 0) > 0) return;
          kinds.markClean(http, resolvedName ?? null);
        },
      };
    },
  };
}
