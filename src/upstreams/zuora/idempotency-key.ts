/**
 * The `Idempotency-Key` of a Zuora POST: a stable hash of the
 * tenant, the gateway caller, the operation and the caller's mutation id, so the caller repeating
 * a change (after a timeout it could not interpret) gets Zuora's stored first result instead of a
 * second record, and two callers who happen to pick the same mutation id never share a result.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface IdempotencyKeyParts {
  /** The OAuth client id: Zuora scopes keys per client. */
  clientId: string;
  /** The acting entity, hyphenated: the same mutation id acting as another entity is another change. */
  entityId: string;
  /** The client method, e.g. `initiateConnection`. */
  operation: string;
  /** The gateway caller (API key id) the mutation id belongs to; Zuora sees one OAuth client for all of them. */
  callerKeyId?: string;
  clientMutationId?: string;
}

/**
 * 64 hex characters (Zuora allows 255). Hashed rather than joined so the key carries no ids or
 * caller text into vendor logs. Without a mutation id, a random key still protects the call's
 * own retries, which all send the key chosen here.
 */
export function idempotencyKeyFor(parts: IdempotencyKeyParts): string {
  if (parts.clientMutationId === undefined) return randomUUID();
  // JSON of an array: no separator a part could contain can make two tuples collide.
  const material = JSON.stringify(['zuora', parts.clientId, parts.entityId, parts.callerKeyId ?? null, parts.operation, parts.clientMutationId]);
  return createHash('sha256').update(material).digest('hex');
}
