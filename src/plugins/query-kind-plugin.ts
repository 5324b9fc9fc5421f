import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { documentKeyOf, type QueryKinds } from '../http/query-kinds.js';

export interface QueryKindPluginOptions {
  /** The process's one record, shared with the HTTP handler's coalescing. */
  kinds: QueryKinds;
}

/**
 * Tells query coalescing (http/query-coalescing.ts) what only Apollo knows once it has parsed a
 * document: which documents are queries, when a write happens, and whether an answer was clean.
 *
 * Register it before trustedDocumentsPlugin: the document is keyed here as the client named it
 * (by persisted id), before a manifest id is swapped for its text, as the handler keys it. And
 * after partialErrorsPlugin (createServer puts that first): an answer with a partial error is
 * not clean.
 */
export function queryKindPlugin<TContext extends BaseContext>({ kinds }: QueryKindPluginOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      const persistedId = typeof persisted?.sha256Hash === 'string' && persisted.sha256Hash !== '' ? persisted.sha256Hash : undefined;
      // Read now, hashed later: only a query pays for the hash.
      const { query, operationName } = request;
      let type: string | undefined;
      return {
        async didResolveOperation({ operation }) {
          type = operation?.operation;
          if (type === 'mutation') {
            // Before it writes: a flight started from now on may read its result, and none before is joined.
            kinds.bumpEpoch();
            return;
          }
          const documentKey = type === 'query' ? documentKeyOf(query, persistedId, operationName) : undefined;
          if (documentKey !== undefined) kinds.rememberQuery(documentKey);
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
