import { OperationNotAllowlistedError } from '../errors.js';
import type { Caller } from '../callers/caller.js';
import { documentIdOf } from './document-id.js';
import type { TrustedDocuments } from './trusted-documents.js';

/**
 * A caller marked `trustedDocumentsOnly` runs manifest operations by id and nothing else. Checked
 * with the caller, before Apollo starts the request, from the id alone: a document the caller
 * sent is never parsed, so a refused request costs neither parsing nor vendor calls.
 */
export function requireTrustedDocument(caller: Caller, documents: TrustedDocuments | undefined, body: unknown, search: string): void {
  if (caller.trustedDocumentsOnly !== true) return;
  const id = documentIdOf(body, search);
  if (id === undefined) {
    throw new OperationNotAllowlistedError(`"${caller.keyId}" may run only trusted documents, by id (extensions.persistedQuery.sha256Hash or documentId); this request sent none`);
  }
  if (documents?.get(id) === undefined) {
    throw new OperationNotAllowlistedError(`"${caller.keyId}" may run only trusted documents, and the manifest has no operation with this id`);
  }
}
