/**
 * The gateway's names for the inputs a vendor's validation answer blames: each vendor's field
 * name looked up in a fixed table, so what reaches the caller is always our own word (never the
 * vendor's text, which may echo input or internals). Names not in the table are dropped.
 */
export function inputNames(vendorFields: Iterable<string>, table: Readonly<Record<string, string>>): string[] | undefined {
  const names = new Set<string>();
  for (const field of vendorFields) {
    const name = Object.hasOwn(table, field) ? table[field] : undefined;
    if (name !== undefined) names.add(name);
  }
  return names.size === 0 ? undefined : [...names];
}
