import type { SandboxRequest } from '../core/types.js';
import type { MappingIdentity } from './mapping-store.js';
import { failed, shown, type Outcome } from './responses.js';

/** The body of a create or update (m3ter's MappingRequest): five strings, `version` on update only. */
export interface MappingRequest extends MappingIdentity {
  integrationConfigId?: string;
  version?: number;
}

const IDENTITY_FIELDS = ['m3terEntity', 'm3terId', 'externalSystem', 'externalTable', 'externalId'] as const;

/**
 * m3ter's Java pattern (`\p{Cntrl}`, nested classes) in ECMAScript: no control characters, no
 * leading or trailing whitespace, inner spaces allowed.
 */
const PLAIN_TEXT = /^[^\x00-\x20\x7F](?:[^\x00-\x1F\x7F]*[^\x00-\x20\x7F])?$/;

/**
 * Parses and checks a MappingRequest. Unknown fields are ignored and JSON null counts as absent,
 * as m3ter's JSON binding does; wrong types are refused rather than coerced.
 */
export function parseMappingRequest(req: SandboxRequest): Outcome<MappingRequest> {
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return failed(400, 'request body must be a JSON MappingRequest object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return failed(400, `request body must be a JSON object, got ${shown(body)}`);
  }
  const input = body as Record<string, unknown>;
  const out: Partial<MappingRequest> = {};
  for (const field of IDENTITY_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null) return failed(400, `${field} is required`);
    if (typeof value !== 'string') return failed(400, `${field} must be a string, got ${shown(value)}`);
    if (value === '') return failed(400, `${field} must not be empty`);
    if (!PLAIN_TEXT.test(value)) {
      return failed(400, `${field} must not contain control characters or start or end with whitespace, got ${shown(value)}`);
    }
    out[field] = value;
  }
  const configId = input.integrationConfigId;
  if (configId !== undefined && configId !== null) {
    if (typeof configId !== 'string') return failed(400, `integrationConfigId must be a string, got ${shown(configId)}`);
    out.integrationConfigId = configId;
  }
  const version = input.version;
  if (version !== undefined && version !== null) {
    if (typeof version !== 'number' || !Number.isSafeInteger(version)) return failed(400, `version must be an integer, got ${shown(version)}`);
    out.version = version;
  }
  return { ok: true, value: out as MappingRequest };
}
