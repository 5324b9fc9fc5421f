/**
 * Parsers for single configuration values, shared by environment variables and the JSON config
 * file. Each returns the normalised value, or `undefined` when the input does not fit; `expected`
 * is the phrase the error message uses ("INTERLINK_X must be <expected>, got ...").
 */

export interface ValueParser<T> {
  expected: string;
  secret?: boolean;
  parse(raw: unknown): T | undefined;
}

/** Scheme and host (and port) only: adapters append the vendor paths (CONTRACTS §0). */
export const httpOrigin: ValueParser<string> = {
  expected: 'an http(s) URL with scheme and host only',
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      return undefined;
    }
    const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url.origin : undefined;
  },
};

/** A single token without spaces, as ids, logins and keys are. */
export function word(expected: string, options: { secret?: boolean; max?: number; notEmail?: boolean } = {}): ValueParser<string> {
  const max = options.max ?? 255;
  return {
    expected,
    secret: options.secret,
    parse(raw) {
      if (typeof raw !== 'string') return undefined;
      const value = raw.trim();
      if (value === '' || value.length > max || /\s/.test(value)) return undefined;
      if (options.notEmail === true && value.includes('@')) return undefined;
      return value;
    },
  };
}

export const uuid: ValueParser<string> = {
  expected: 'a UUID, e.g. "7c4a0e5e-4c6b-4f5c-9a1e-2d3b4c5d6e7f"',
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    const value = raw.trim().toLowerCase();
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value) ? value : undefined;
  },
};

/**
 * Zuora entity ids, as a comma-separated string or an array; 32-hex or UUID, returned in the
 * hyphenated lower-case form adapters send in `Zuora-Entity-Ids` (CONTRACTS §1.2).
 */
export const zuoraEntityIds: ValueParser<string[]> = {
  expected: 'one or more Zuora entity ids (32 hex characters or a UUID), comma-separated',
  parse(raw) {
    const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
    if (items === undefined) return undefined;
    const ids = items.map((item) => (typeof item === 'string' ? hyphenateEntityId(item.trim().toLowerCase()) : undefined));
    if (ids.length === 0 || ids.some((id) => id === undefined)) return undefined;
    return [...new Set(ids as string[])];
  },
};

function hyphenateEntityId(id: string): string | undefined {
  const hex = /^[0-9a-f]{32}$/.test(id) ? id : /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(id) ? id.replaceAll('-', '') : undefined;
  if (hex === undefined) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An integer in [min, max], from a number or a decimal string. */
export function integer(min: number, max: number, unit = ''): ValueParser<number> {
  return {
    expected: `an integer from ${min} to ${max}${unit === '' ? '' : ` (${unit})`}`,
    parse(raw) {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
      return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
    },
  };
}
