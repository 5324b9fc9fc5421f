import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { TrustedDocuments } from './trusted-documents.js';

export interface TrustedDocumentsPluginOptions {
  documents: TrustedDocuments;
}

/**
 * A request naming a manifest id runs the manifest's document. It is swapped in before Apollo
 * looks at the persisted query extension (requestDidStart runs first), and the extension is
 * dropped: manifest ids need not be SHA-256 of the text, and the manifest, not the APQ cache,
 * holds these documents. Ids not in the manifest go on to Apollo's APQ cache as before, and so
 * does an id sent with some other text (Apollo refuses the mismatch with 400).
 * Who may run what is decided earlier, with the caller (`requireTrustedDocument`).
 */
export function trustedDocumentsPlugin<TContext extends BaseContext>({ documents }: TrustedDocumentsPluginOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      const document = typeof persisted?.sha256Hash === 'string' ? documents.get(persisted.sha256Hash) : undefined;
      // Text sent beside the id that is not the listed document is Apollo's to refuse (hash mismatch).
      if (document === undefined || (request.query !== undefined && request.query !== document)) return;
      request.query = document;
      const { persistedQuery: _listed, ...extensions } = request.extensions ?? {};
      request.extensions = extensions;
    },
  };
}
