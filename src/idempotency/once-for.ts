/**
 * The idempotency key of one mutation, or `undefined` without a `clientMutationId`. The key
 * scopes the id to the caller (its API key id; in-process calls share one anonymous scope), the
 * vendor tenant the write goes to (Zuora acting entity, m3ter org, Rev.io client code) and the
 * operation, so equal ids from two callers or for two tenants never meet. The fingerprint hashes
 * the parsed input (ids already normalised), so two spellings of the same input are one input.
 */
import { createHash } from 'node:crypto';
import { BadUserInputError } from '../errors.js';
import type { GraphQLContext } from '../context.js';
import type { Vendor } from '../upstreams/vendor.js';
import type { OnceKey } from './write-once.js';

/** The scope of calls that come with no API key (in-process execution, tests). */
export const ANONYMOUS_CALLER = '(anonymous)';

export interface OnceScope {
  vendor: Vendor;
  /** Zuora acting entity (32 hex), m3ter org id or Rev.io client code. */
  tenant: string;
  operation: string;
  clientMutationId: string | null | undefined;
  /** The parsed input without clientMutationId: plain JSON. */
  input: unknown;
}

export function onceFor(context: Pick<GraphQLContext, 'caller' | 'idempotency'>, scope: OnceScope): OnceKey | undefined {
  const { clientMutationId } = scope;
  if (clientMutationId === null || clientMutationId === undefined) return undefined;
  // An empty id would be one shared key for every "no id" a client library sends as "".
  if (clientMutationId.trim() === '') throw new BadUserInputError(`${scope.operation}: clientMutationId must not be empty; leave it out to write without one, or send a new id for each change`);
  const caller = context.caller?.keyId ?? ANONYMOUS_CALLER;
  return {
    store: context.idempotency,
    key: sha256(canonicalJson([caller, scope.vendor, scope.tenant.toLowerCase(), scope.operation, clientMutationId])),
    fingerprint: sha256(canonicalJson(scope.input)),
    operation: scope.operation,
  };
}

/** JSON with object keys sorted and `undefined` left out, so equal inputs hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
