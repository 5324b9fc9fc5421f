/**
 * Reads that settle a Rev.io write whose outcome is unknown (applied, then the answer was lost)
 * before anything is sent again. Rev.io takes no idempotency key and allows duplicate links, so a
 * blind second POST would make a second link.
 */
import type { RevioClient } from './client.js';
import { keyLinkIdsNewestFirst } from './create-key-link.js';
import type { KeyLinkRecord, KeyLinkWrite } from './key-link-search.js';

export const revioReconcile = {
  /**
   * The ids of the links with all four fields of `write`, newest first: what existed before a
   * create, or what may be its own after (ExistedBefore.adopt decides).
   */
  async matching(client: RevioClient, write: KeyLinkWrite, requestId?: string): Promise<string[]> {
    return keyLinkIdsNewestFirst(await client.searchKeyLinks({ search: write, ...(requestId ? { requestId } : {}) }));
  },

  /** Whether a stored link already holds every field of a full replacement. */
  replaced(record: KeyLinkRecord, write: KeyLinkWrite): boolean {
    return (
      Number(record.integration_system_id) === write.integration_system_id &&
      Number(record.integration_entity_type_id) === write.integration_entity_type_id &&
      String(record.internal_id) === String(write.internal_id) &&
      record.external_id === write.external_id
    );
  },

  /** Whether the link is gone (the search by id finds nothing). */
  async deleted(client: RevioClient, id: number, requestId?: string): Promise<boolean> {
    return (await client.getKeyLink({ id, ...(requestId ? { requestId } : {}) })) === undefined;
  },
};
