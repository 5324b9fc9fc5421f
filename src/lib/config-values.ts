/**
 * Parsers for single configuration values, shared by environment variables and the JSON config
 * file. Each returns the normalised value, or `undefined` when the input does not fit; `expected`
 * is the phrase the error message uses ("INTERLINK_X must be <expected>, got ...").
 */

export interface ValueParser<T> {
  expected: string;
  /** Messages show only the value's length: a password pasted in the wrong place must not reach a log. */
  secret?: boolean;
  parse(raw: unknown): T | undefined;
}

/** Scheme and host (and port) only: clients append the vendor paths themselves. */
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

/** Any non-empty string: a path is checked by reading the file, which says more than a pattern could. */
export const filePath: ValueParser<string> = {
  expected: 'a file path',
  parse: (raw) => (typeof raw === 'string' && raw !== '' ? raw : undefined),
};

export const uuid: ValueParser<string> = {
  expected: 'a UUID, e.g. "7c4a0e5e-4c6b-4f5c-9a1e-2d3b4c5d6e7f"',
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    const value = raw.trim().toLowerCase();
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value) ? value : undefined;
  },
};

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

/** One of a fixed list of words, in any case. */
export function oneOf<const T extends string>(values: readonly T[]): ValueParser<T> {
  return {
    expected: `one of ${values.join(', ')}`,
    parse: (raw) => (typeof raw === 'string' ? values.find((value) => value === raw.trim().toLowerCase()) : undefined),
  };
}

/** A switch, from JSON `true`/`false` or the words operators write in environment files. */
export const onOff: ValueParser<boolean> = {
  expected: 'true or false (also on/off, yes/no, 1/0)',
  parse(raw) {
    if (typeof raw === 'boolean') return raw;
    const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    return ['true', 'on', 'yes', '1'].includes(value) ? true : ['false', 'off', 'no', '0'].includes(value) ? false : undefined;
  },
};

/** `redis://` or `rediss://` with a host; masked in messages, since it may carry a password. */
export const redisUrl: ValueParser<string> = {
  expected: 'a redis:// or rediss:// URL with a host',
  secret: true,
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    try {
      const url = new URL(raw.trim());
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' ? raw.trim() : undefined;
    } catch {
      return undefined;
    }
  },
};
