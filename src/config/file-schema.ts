/**
 * INTERLINK_CONFIG_FILE as one zod schema, made from the settings table: each row with a file path
 * is a leaf checked by the row's parser, every object is strict (an unknown key is an issue, as a
 * misspelt setting would otherwise be ignored), and `[]` in a path makes a list of objects.
 */
import { z } from 'zod';
import type { ValueParser } from '../lib/config-values.js';
import { describeValue } from '../lib/describe-value.js';
import type { Setting } from './setting.js';

/** A zod schema for one value, with the parser's expected-form phrase as its message. */
export function valueSchema<T>(parser: ValueParser<T>) {
  return z.unknown().transform((raw, context): T => {
    const value = parser.parse(raw);
    if (value === undefined) {
      context.addIssue({ code: 'custom', message: parser.expected, params: { secret: parser.secret === true, raw } });
      return z.NEVER;
    }
    return value;
  });
}

/**
 * The file's schema: one leaf per row with a file path, optional unless the row is required in its
 * list item. `otherKeys` are top-level keys another schema checks (`apiKeys`), allowed here as they are.
 */
export function fileSchema(rows: readonly Setting<unknown>[], otherKeys: readonly string[] = []): z.ZodObject<Record<string, z.ZodType>> {
  return objectSchema([
    ...rows.flatMap((row) => (row.file === undefined ? [] : [[row.file.split('.'), row.required === true ? valueSchema(row.parser) : valueSchema(row.parser).optional()] as const])),
    ...otherKeys.map((key) => [[key], z.unknown().optional()] as const),
  ]);
}

/** A strict object whose keys come in the order they first appear, so issues come in the table's order. */
function objectSchema(entries: readonly (readonly [readonly string[], z.ZodType])[]): z.ZodObject<Record<string, z.ZodType>> {
  const children = new Map<string, (readonly [readonly string[], z.ZodType])[] | z.ZodType>();
  for (const [[head = '', ...rest], schema] of entries) {
    if (rest.length === 0) {
      children.set(head, schema);
    } else {
      const nested = children.get(head);
      children.set(head, [...(Array.isArray(nested) ? nested : []), [rest, schema] as const]);
    }
  }
  const shape: Record<string, z.ZodType> = {};
  for (const [key, child] of children) {
    if (!Array.isArray(child)) shape[key] = child;
    else if (key.endsWith('[]')) shape[key.slice(0, -2)] = z.array(objectSchema(child)).optional();
    else shape[key] = objectSchema(child).optional();
  }
  return z.object(shape).strict();
}

/** The parsed JSON of the file `variable` names; `undefined` when unset or unusable (an issue says which). */
export function readJson(variable: string, path: string | undefined, readFile: (path: string) => string, issues: string[]): unknown {
  if (path === undefined) return undefined;
  try {
    return JSON.parse(readFile(path)) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    issues.push(`${variable} must name a readable JSON file, got ${describeValue(path)}, which ${reason}`);
    return undefined;
  }
}

/** The value at a dotted path of parsed file data, or `undefined` when any step is missing. */
export function valueAt(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** "<source> <path> must be <expected>, got <value>", the same form as a variable's message. */
export function describeFileIssue(issue: z.core.$ZodIssue, source: string): string {
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
  const where = path === '' ? source : `${source} ${path}`;
  if (issue.code === 'custom') {
    const params = (issue.params ?? {}) as { secret?: boolean; raw?: unknown };
    return `${where} must be ${issue.message}, got ${describeValue(params.raw, params.secret === true)}`;
  }
  if (issue.code === 'unrecognized_keys') return `${where} has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
  // Only the kind of value: a list or an object in the wrong place may be a secret (a raw API key).
  if (issue.code === 'invalid_type') return `${where} must be ${issue.expected === 'array' ? 'an array' : `an ${issue.expected}`}, got ${kindOf(issue.input)}`;
  return `${where} ${issue.message}`;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
