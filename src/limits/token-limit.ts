/**
 * The document token limit as a query limit like the others: graphql's parser stops at
 * MAX_DOCUMENT_TOKENS and throws a syntax error that says only "more than N". The limits plugin
 * counts the document's tokens when that happens (the refusal path only), and formatError
 * answers QUERY_LIMIT_EXCEEDED with `limit: "maxTokens"`, `max` and `measured`, as for depth or
 * cost. The count is kept beside the parser's error object, never in a global by request.
 */
import { Lexer, Source, TokenKind } from 'graphql';
import { MAX_DOCUMENT_TOKENS } from './query-limits.js';

export interface TokenRefusal {
  max: number;
  measured: number;
}

const refusals = new WeakMap<object, TokenRefusal>();

/** Whether a parse error is the parser's token limit (graphql 16 spells it "more that"). */
export const isTokenLimitError = (error: Error): boolean => /Document contains more tha[nt] \d+ tokens/.test(error.message);

/** Counts the document's tokens and remembers them with the parser's error. */
export function noteTokenRefusal(error: Error, query: string | undefined): void {
  refusals.set(error, { max: MAX_DOCUMENT_TOKENS, measured: query === undefined ? MAX_DOCUMENT_TOKENS + 1 : countTokens(query) });
}

/** The token refusal behind an error (a GraphQLError wrapping the parser's), if it is one. */
export function tokenRefusalIn(error: unknown): TokenRefusal | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const found = refusals.get(current);
    if (found !== undefined) return found;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** Tokens as the parser counts them (comments excluded), to the end; a lexing error ends the count. */
export function countTokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error after the limit: the count so far is over it anyway.
  }
  return count;
}
