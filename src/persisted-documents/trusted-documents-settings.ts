/** `config.trustedDocuments`: the manifest of operations frontends may run by id. */
import { filePath } from '../lib/config-values.js';
import { setting } from '../config/setting.js';

export const TRUSTED_DOCUMENT_SETTINGS = {
  manifestFile: setting({
    env: 'INTERLINK_TRUSTED_DOCUMENTS_FILE',
    file: 'trustedDocuments.manifestFile',
    parser: filePath,
    shownDefault: 'none',
    description:
      "Persisted operations manifest (Apollo's `persisted-query-manifest.json`, or The Guild's `{ id: document }`): runnable by id, and the only operations keys with `trustedDocumentsOnly` may run (see [Trusted documents](#trusted-documents)).",
  }),
};
