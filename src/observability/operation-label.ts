/**
 * Bounded label values for GraphQL operation names. Names come from clients, so each new one
 * would be a new time series: the first `limit` distinct names are kept, later ones share
 * `other`, anonymous or unparsed operations are `unknown`. A name must look like a GraphQL
 * name (which a parsed operation's is) and is cut to 64 characters.
 */
export function createOperationLabel(limit: number): (operationName: string | null | undefined) => string {
  const seen = new Set<string>();
  return (operationName) => {
    if (operationName === null || operationName === undefined || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(operationName)) return 'unknown';
    const name = operationName.slice(0, 64);
    if (seen.has(name)) return name;
    if (seen.size >= limit) return 'other';
    seen.add(name);
    return name;
  };
}
