import { GatewayError } from '../errors.js';

/**
 * The `GatewayError` behind an error, through the `originalError` (graphql, Apollo) and `cause`
 * links that wrap it; walked by shape, since graphql's CJS and ESM builds make different classes.
 */
export function gatewayErrorIn(error: unknown): GatewayError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof GatewayError) return current;
    current = (current as { originalError?: unknown }).originalError ?? current.cause;
  }
  return undefined;
}
