/**
 * Reads that settle an m3ter write whose outcome is unknown (applied, then the answer was lost)
 * before anything is sent again. m3ter takes no idempotency key and refuses an exact duplicate
 * with 400, so a blind second POST would report BAD_USER_INPUT for a create that worked. (An
 * update is settled from the mapping as read: see m3ter-links.ts.)
 */
import { UpstreamNotFoundError } from '../../errors.js';
import type { M3terClient } from './client.js';
import type { M3terMappingCreate } from './m3ter-types.js';

export const m3terReconcile = {
  /**
   * The id of the stored mapping with the identity fields of `mapping`, if any (m3ter allows only
   * one): what existed before a create, or what may be its own after (ExistedBefore.adopt decides).
   */
  async matching(client: M3terClient, mapping: M3terMappingCreate, requestId?: string): Promise<string[]> {
    const found = await client.findMapping(mapping, requestId === undefined ? {} : { requestId });
    return found === undefined ? [] : [found.id];
  },

  /** Whether the mapping is gone (its GET answers 404). */
  async deleted(client: M3terClient, id: string, requestId?: string): Promise<boolean> {
    try {
      await client.getMapping({ id, ...(requestId ? { requestId } : {}) });
      return false;
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return true;
      throw error;
    }
  },
};
