/** Config parsers for Zuora entity ids: in a tenant's credentials and in an API key's grant. */
import type { ValueParser } from '../../lib/config-values.js';
import { hyphenated, zuoraIdOf } from './entity-id-forms.js';

/**
 * Zuora entity ids, as a comma-separated string or an array; 32-hex or UUID, returned hyphenated
 * in lower case, the form Zuora expects in the `Zuora-Entity-Ids` header.
 */
export const zuoraEntityIds: ValueParser<string[]> = {
  expected: 'one or more Zuora entity ids (32 hex characters or a UUID), comma-separated',
  parse(raw) {
    const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
    if (items === undefined) return undefined;
    const ids = items.map((item) => (typeof item === 'string' ? zuoraIdOf(item) : undefined));
    if (ids.length === 0 || ids.some((id) => id === undefined)) return undefined;
    return [...new Set((ids as string[]).map(hyphenated))];
  },
};

/** One Zuora entity id, as an API key's grant lists it. */
export const zuoraEntityId: ValueParser<string> = {
  expected: 'a Zuora entity id (32 hex characters or a UUID)',
  parse: (raw) => (typeof raw === 'string' && !raw.includes(',') ? zuoraEntityIds.parse(raw)?.[0] : undefined),
};
