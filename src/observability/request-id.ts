import { randomUUID } from 'node:crypto';

/**
 * Short and plain: the id is echoed in `x-request-id` and forwarded to vendors
 * (`Zuora-Track-Id`, `X-Request-Id`), so nothing that could split a header or flood a log.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The client's `x-request-id` when it is safe to reuse, otherwise a new UUID. */
export function requestIdFrom(given: string | undefined): string {
  const trimmed = given?.trim();
  return trimmed !== undefined && SAFE_REQUEST_ID.test(trimmed) ? trimmed : randomUUID();
}
