/**
 * Security lines: one per refusal of a caller (401, 403 on a scope or tenant, an argument outside
 * its grant), at warn with `log: "security"`, so an operator can alert on them apart from the
 * request log. Ids and the refusal's own message only: messages are built from safe fields, and
 * never carry a key, a token or a document.
 *
 *   {"log":"security","requestId":"…","keyId":"billing-sync","tenant":{…},"operation":"initiateConnection",
 *    "path":"initiateConnection","code":"FORBIDDEN","reason":"input.sourceEntityId names Zuora entity …"}
 */
import type { Logger } from 'pino';
import type { ObservedContext } from '../plugins/observed-context.js';

export interface SecurityRefusal {
  requestId: string | null;
  /** Null when the caller could not be authenticated. */
  keyId: string | null;
  tenant: ObservedContext['tenant'] | null;
  /** Root fields of the operation (e.g. `initiateConnection`), when the document was read. */
  operation: string | null;
  /** The refused field's path, e.g. `entity.connections`; null for a refusal of the whole request. */
  path: string | null;
  code: string;
  reason: string;
}

export function logSecurityRefusal(logger: Logger, refusal: SecurityRefusal): void {
  logger.warn({ log: 'security', ...refusal }, 'access refused');
}

/** The codes that mean "this caller may not": the gateway's own refusals, not a vendor's. */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'OPERATION_NOT_ALLOWLISTED']);
