/**
 * m3ter failure classification. Every 4xx/5xx carries `{message}` and no code,
 * so the status decides. 400 vs CONFLICT on a PUT needs a re-read, which the client does.
 */
import { classifyUnexpectedStatus, isRecord, type UpstreamFailure, type UpstreamResponse } from '../classification.js';
import { inputNames } from '../input-names.js';

/** Mapping fields as the gateway's inputs call them (`m3terId` is the link's `internalId`). */
const INPUT_NAMES: Readonly<Record<string, string>> = {
  m3terEntity: 'internalType',
  m3terId: 'internalId',
  externalSystem: 'externalSystem',
  externalTable: 'externalTable',
  externalId: 'externalId',
  integrationConfigId: 'integrationConfigId',
};

/** m3ter's 429 carries no Retry-After: back off from 1 s, doubling, with jitter. */
export const M3TER_RATE_LIMIT_WAIT_MS = 1000;

export function classifyM3ter(response: UpstreamResponse): UpstreamFailure | undefined {
  const { status, body } = response;
  if (status >= 200 && status < 300) return undefined;
  // m3ter reports expired tokens as 403; a 401/403 here has already had its one refresh (http.ts).
  if (status === 401 || status === 403) return { kind: 'forbidden', retryable: false };
  if (status === 404) return { kind: 'not-found', retryable: false };
  if (status === 400) return { kind: 'rejected', retryable: false, ...blamedInput(body) };
  // Never auto-retry a 409, even though the vendor SDKs do: it is a stale version, not a blip.
  if (status === 409) return { kind: 'conflict', retryable: false };
  // Our page size was too large; the paging helper halves it once.
  if (status === 413) return { kind: 'contract', retryable: false };
  // The org limit clears at the end of the second, so back off from 1 s.
  if (status === 429) return { kind: 'rate-limited', retryable: true, minDelayMs: M3TER_RATE_LIMIT_WAIT_MS };
  // 503 is not in m3ter's list, but a proxy in front of it can send one; it is transient.
  return classifyUnexpectedStatus(status);
}

/**
 * m3ter's 400 has no code, only `{message}`, which starts with the field at fault ("m3terId is
 * required", "m3terEntity must be one of …"). Only that first word is read, and only a known
 * field counts: a message about the whole mapping (an exact duplicate) names none.
 */
function blamedInput(body: unknown): Pick<UpstreamFailure, 'invalidInputs'> {
  const first = isRecord(body) && typeof body.message === 'string' ? /^[A-Za-z][A-Za-z0-9]*/.exec(body.message)?.[0] : undefined;
  const invalidInputs = first === undefined ? undefined : inputNames([first], INPUT_NAMES);
  return invalidInputs === undefined ? {} : { invalidInputs };
}
