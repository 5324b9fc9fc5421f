import { randomBytes } from 'node:crypto';

/** What a bearer token stands for: one service user of one org, until it expires. */
export interface IssuedToken {
  orgId: string;
  serviceUserId: string;
  expiresAtMs: number;
}

/** Above this many live tokens, issuing a new one first drops the expired ones. */
const SWEEP_ABOVE = 10_000;

/**
 * Bearer tokens issued by `POST /oauth/token`. They look like m3ter's JWTs (three base64url
 * parts) but are opaque to clients; a random signature part makes them unguessable.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(grant: IssuedToken, nowMs: number): string {
    if (this.tokens.size > SWEEP_ABOVE) this.sweep(nowMs);
    const header = { typ: 'JWT', alg: 'RS256', kid: `serviceUser_${grant.orgId}` };
    const payload = {
      sub: grant.serviceUserId,
      orgId: grant.orgId,
      iat: Math.floor(nowMs / 1000),
      exp: Math.floor(grant.expiresAtMs / 1000),
      jti: randomBytes(12).toString('hex'),
    };
    const token = [base64url(header), base64url(payload), randomBytes(64).toString('base64url')].join('.');
    this.tokens.set(token, grant);
    return token;
  }

  /** The grant behind a token, expired or not; the caller decides what expiry means. */
  lookup(token: string): IssuedToken | undefined {
    return this.tokens.get(token);
  }

  clear(): void {
    this.tokens.clear();
  }

  private sweep(nowMs: number): void {
    for (const [token, grant] of this.tokens) if (grant.expiresAtMs <= nowMs) this.tokens.delete(token);
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
