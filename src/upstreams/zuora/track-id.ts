/**
 * `Zuora-Track-Id` takes up to 64 printable ASCII characters and none of `:;"'`.
 * The gateway request id normally fits; one that does not is made to fit rather than sent as is,
 * because Zuora would refuse the whole call over a tracing header.
 */
const MAX_LENGTH = 64;

/** The request id as a valid track id, or `undefined` when nothing usable is left. */
export function trackIdOf(requestId: string | undefined): string | undefined {
  if (requestId === undefined) return undefined;
  const value = requestId.replace(/[^\x21-\x7e]|[:;"']/g, '-').slice(0, MAX_LENGTH);
  return value === '' ? undefined : value;
}
