/**
 * Zuora writes the same id two ways: 32 lower-case hex characters in payloads
 * and paths, the hyphenated 8-4-4-4-12 UUID in token scopes and `Zuora-Entity-Ids`. Callers may
 * hold either; these turn one into the form each place needs, and refuse anything else before a
 * request is built (a stray `/` or `?` must never reach a path).
 */
import { BadUserInputError } from '../../errors.js';

const COMPACT = /^[0-9a-f]{32}$/;
const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `8A808255…` or `8a808255-55a3-…` → `8a80825555a3c7a10155b460f53858e6`; undefined for anything else. */
export function zuoraIdOf(id: string): string | undefined {
  const value = id.trim().toLowerCase();
  if (COMPACT.test(value)) return value;
  if (HYPHENATED.test(value)) return value.replaceAll('-', '');
  return undefined;
}

/** As `zuoraIdOf`, refusing anything else as bad input. */
export function compactZuoraId(id: string, what = 'a Zuora id'): string {
  const compact = zuoraIdOf(id);
  if (compact === undefined) throw new BadUserInputError(`${what} must be 32 hex characters or a hyphenated UUID, got ${describe(id)}`);
  return compact;
}

/** 32 hex → `8a808255-55a3-c7a1-0155-b460f53858e6`, as scopes and `Zuora-Entity-Ids` write it. */
export function hyphenated(compact: string): string {
  return `${compact.slice(0, 8)}-${compact.slice(8, 12)}-${compact.slice(12, 16)}-${compact.slice(16, 20)}-${compact.slice(20)}`;
}

/** Any accepted form → the hyphenated one, refusing anything else as bad input. */
export function hyphenatedZuoraId(id: string, what = 'a Zuora id'): string {
  return hyphenated(compactZuoraId(id, what));
}

/** Short and quoted: the value is the caller's own input, but it may be long or odd. */
function describe(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * The one form to compare entity ids in, whatever the caller sent: hyphens dropped, lower case.
 * Unlike `compactZuoraId` it never throws, so it can key maps with untrusted input.
 */
export function zuoraEntityKey(entityId: string): string {
  return entityId.replace(/-/g, '').toLowerCase();
}
