/**
 * A configuration value as an error message may quote it: JSON-quoted and shortened, or, for a
 * secret, only its length, so a misplaced password never reaches a log.
 */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (secret) {
    const length = typeof value === 'string' ? value.length : String(value).length;
    return `a ${length}-character secret (masked)`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
