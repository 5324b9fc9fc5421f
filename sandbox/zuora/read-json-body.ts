import type { SandboxResponse } from '../core/types.js';
import { ZuoraCode } from './error-codes.js';
import { failure } from './responses.js';

/** A string field of a request body; `check` returns what is wrong with a value, if anything. */
export interface StringField {
  required: boolean;
  check?: (value: string) => string | undefined;
}

/**
 * Parses a JSON object body whose fields are all strings, in the order Zuora reports problems:
 * bad JSON (…90), unknown field (…21), missing field (…22), bad value (…20). A `null` counts as
 * absent, since JSON clients often send one for an unset optional field.
 */
export function readJsonBody<F extends string>(
  body: Buffer,
  fields: Record<F, StringField>,
): { values: Partial<Record<F, string>> } | { response: SandboxResponse } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return rejected(ZuoraCode.malformedJson, 'the request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return rejected(ZuoraCode.malformedJson, 'the request body must be a JSON object');
  }
  const input = parsed as Record<string, unknown>;
  const names = Object.keys(fields) as F[];
  const unknown = Object.keys(input).filter((key) => !Object.hasOwn(fields, key));
  if (unknown.length > 0) return rejected(ZuoraCode.unknownField, `unknown field(s): ${unknown.join(', ')}`);

  const missing = names.filter((name) => fields[name].required && (input[name] === undefined || input[name] === null));
  if (missing.length > 0) return rejected(ZuoraCode.missingField, `missing required field(s): ${missing.join(', ')}`);

  const out: Partial<Record<F, string>> = {};
  for (const name of names) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return rejected(ZuoraCode.badValue, `${name} must be a string, got ${JSON.stringify(value)}`);
    const problem = fields[name].check?.(value);
    if (problem !== undefined) return rejected(ZuoraCode.badValue, `${name} ${problem}`);
    out[name] = value;
  }
  return { values: out };
}

function rejected(code: ZuoraCode, message: string): { response: SandboxResponse } {
  return { response: failure(code, message) };
}
