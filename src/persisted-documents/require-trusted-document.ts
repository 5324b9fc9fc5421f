import { OperationNotAllowlistedError } from '../errors.js';
import type { Caller } from '../callers/caller.js';

/**
 * A caller marked `trustedDocumentsOnly` runs manifest operations by id and nothing else. Read
 * from the request's one resolved operation (http/resolve-operation.ts), the same one Apollo is
 * handed: whether it is the manifest's document, named by its id.
 */
export function requireTrustedDocument(caller: Caller, operation: { listed: boolean; documentId: string | undefined }): void {
  if (caller.trustedDocumentsOnly !== true || operation.listed) return;
  if (operation.documentId === undefined) {
    throw new OperationNotAllowlistedError(`"${caller.keyId}" may run only trusted documents, by id (extensions.persistedQuery.sha256Hash or documentId); this request sent none`);
  }
  throw new OperationNotAllowlistedError(`"${caller.keyId}" may run only trusted documents, and the manifest has no operation with this id`);
}
