/**
 * The operation GraphiQL opens with and the start-up banner prints: one query that crosses all
 * three vendors (Zuora entities and connections, m3ter and Rev.io links to each entity), cheap
 * enough to run on every visit.
 */
export const SAMPLE_QUERY = `# Interlink: Zuora entities and their connections, with the m3ter and
# Rev.io links that point at each entity. Press the run button (Ctrl-Enter).
query CrossVendor {
  entities(first: 5) {
    totalCount
    nodes {
      name
      status
      connections(first: 3) {
        nodes { status source { name } target { name } }
      }
      externalLinks {
        provider
        tenant
        internal { system type id }
        external { system id }
      }
    }
  }
}
`;

/** The same query on one line, for curl. */
export const SAMPLE_QUERY_ONE_LINE = SAMPLE_QUERY.split('\n')
  .filter((line) => !line.startsWith('#'))
  .join(' ')
  .replace(/\s+/g, ' ')
  .trim();
