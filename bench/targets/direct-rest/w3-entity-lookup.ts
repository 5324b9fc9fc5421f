/** W3 by hand: `GET /v1/entities/{id}`, one call. Body `{ id }` (32 hex); answer as the W3 document. */
import type { DirectContext } from './direct-context.js';
import { VendorCallError } from './vendor-http.js';
import type { ZuoraEntity } from './vendor-reads.js';

export async function entityLookup({ v, actingEntityId }: DirectContext, id: string): Promise<unknown> {
  if (!/^[0-9a-f]{32}$/i.test(id)) throw new VendorCallError('direct', `id must be 32 hex characters, got "${id.slice(0, 40)}"`, 400);
  try {
    const entity = await v.zuora<ZuoraEntity>('GET', `v1/entities/${id.toLowerCase()}`, actingEntityId);
    return { entity: { entityId: entity.id, name: entity.name ?? null, status: entity.status ? entity.status.toUpperCase() : null } };
  } catch (error) {
    if (error instanceof VendorCallError && error.status === 404) return { entity: null };
    throw error;
  }
}
