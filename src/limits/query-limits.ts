/**
 * What one GraphQL request may ask for and spend. The document's limits are checked before it
 * runs (limits-plugin.ts), so a refusal costs no vendor call; the budgets below them hold while
 * it runs. Defaults fit every README example and bench workload with room to spare, and
 * configuration can raise them globally or for one API key (a server-to-server key with a
 * larger budget).
 */
export interface QueryLimits {
  /** Nesting of selection sets, fragments expanded (`{ a { b } }` is 2). */
  maxDepth: number;
  /** Aliased fields in the whole document. */
  maxAliases: number;
  /** Fields at the root of the operation, aliases included. */
  maxRootFields: number;
  /** Directives (`@include`, `@skip`, …) in the document. */
  maxDirectives: number;
  /** Estimated cost (operation-cost.ts): result size multiplied through `first`, plus vendor calls. */
  maxCost: number;
  /** Vendor calls one request may start; past it, the rest of the request fails fast. */
  maxVendorCalls: number;
  /** List items the answer may hold, counted while it is built; past it, the rest fails fast. */
  maxResultItems: number;
  /** The request's whole deadline: what is not ready by then is answered as REQUEST_TIMEOUT. */
  deadlineMs: number;
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxDepth: 12,
  maxAliases: 100,
  maxRootFields: 100,
  maxDirectives: 50,
  maxCost: 1_000_000,
  maxVendorCalls: 400,
  maxResultItems: 50_000,
  deadlineMs: 15_000,
});

/**
 * The largest document the parser reads, in tokens (names, punctuation, values): far above any
 * real operation (the W2 bench document has about 1,400), and a hard stop for a document built to
 * make the parser work. Global: it applies before a caller is known.
 */
export const MAX_DOCUMENT_TOKENS = 20_000;
