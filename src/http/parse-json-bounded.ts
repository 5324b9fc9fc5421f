/**
 * `JSON.parse` with its output bounded before it runs. A 1 MiB body of `[{},{},…]` parses to some
 * 250,000 objects (~21 MB of heap), so a body's byte limit alone does not bound what it costs: one
 * linear scan counts the values and the nesting first, and a body over either cap is refused
 * without being parsed. Strings are skipped whole (escapes included), so text inside them never
 * counts.
 */
export interface JsonLimits {
  /** Values of every kind (objects, arrays, strings, numbers, literals). */
  maxValues: number;
  /** Objects and arrays inside one another. */
  maxDepth: number;
}

export type BoundedJson = { ok: true; value: unknown } | { ok: false; reason: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

export function parseJsonBounded(text: string, { maxValues, maxDepth }: JsonLimits): BoundedJson {
  let values = 0;
  let depth = 0;
  // A value starts at the top, after `[`, after `:` and after `,` inside an array; counting the
  // separators is enough: members = commas + 1 for each non-empty container, plus the containers.
  let containers = 0;
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      for (i++; i < text.length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === BACKSLASH) i++;
        else if (inner === QUOTE) break;
      }
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      containers++;
      if (++depth > maxDepth) return { ok: false, reason: `nests objects and arrays deeper than ${maxDepth} levels` };
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    } else if (code === COMMA || code === COLON) {
      separators++;
    }
    // An upper bound on the values: every container, every member, the top value.
    values = containers + separators + 1;
    if (values > maxValues) return { ok: false, reason: `holds more than ${maxValues} JSON values` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'is not valid JSON' };
  }
}
