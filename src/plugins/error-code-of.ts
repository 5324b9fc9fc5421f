import type { GraphQLFormattedError } from 'graphql';
import { formatError } from '../format-error.js';

/**
 * The public code of an error: exactly the `extensions.code` formatError sends the client, so a
 * log or audit line can never say one code while the answer says another.
 */
export function errorCodeOf(error: unknown): string {
  // A GraphQLError carries the formatted fields itself (message, path, extensions).
  const formatted: GraphQLFormattedError = error instanceof Error ? (error as unknown as GraphQLFormattedError) : { message: String(error) };
  const code = formatError(formatted, error).extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
