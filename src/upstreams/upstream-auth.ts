/**
 * How a call authenticates: the Authorization header value, fetched before every attempt, and a
 * way to drop it when the vendor refuses it. Passed per call in the got `context` (`auth`),
 * because credentials are per tenant while the HTTP base is per vendor.
 */
import type { TokenProvider } from './token-provider.js';

export interface UpstreamAuth {
  authorization(): Promise<string>;
  /** Called with the value that was refused; absent for static credentials (nothing to refresh). */
  invalidate?(authorization: string): void;
}

export function bearerAuth(tokens: TokenProvider): UpstreamAuth {
  return {
    authorization: async () => `Bearer ${await tokens.getToken()}`,
    invalidate: (authorization) => tokens.invalidate(authorization.replace(/^Bearer /, '')),
  };
}

/** HTTP Basic (Rev.io, m3ter's token call). Static: a refusal is final. */
export function basicAuth(user: string, password: string): UpstreamAuth {
  const value = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return { authorization: () => Promise.resolve(value) };
}
