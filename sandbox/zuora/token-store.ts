import { randomBytes } from 'node:crypto';
import type { ClientAccess } from './tenant-state.js';

export interface IssuedToken {
  client: ClientAccess;
  /** Entities in the token's scope (32-hex ids), fixed when the token was issued. */
  entityIds: string[];
  /** Sandbox-clock ms after which the token is refused. */
  expiresAt: number;
}

/** Above this many live tokens, issuing one also sweeps out the expired ones. */
const SWEEP_ABOVE = 10_000;

/** Bearer tokens: opaque 32-hex strings from node:crypto, so nothing about them can be guessed. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(token: IssuedToken, now: number): string {
    if (this.tokens.size > SWEEP_ABOVE) this.sweep(now);
    const value = randomBytes(16).toString('hex');
    this.tokens.set(value, token);
    return value;
  }

  /** The token as issued, expired or not; callers decide what expiry means. */
  lookup(value: string): IssuedToken | undefined {
    return this.tokens.get(value);
  }

  clear(): void {
    this.tokens.clear();
  }

  private sweep(now: number): void {
    for (const [value, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(value);
  }
}

/** The token from an `Authorization: Bearer …` header, or undefined for any other form. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
