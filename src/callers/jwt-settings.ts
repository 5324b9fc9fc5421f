/**
 * `config.jwt`: callers with JWTs (OAuth 2.0 client credentials from their identity provider),
 * besides API keys. Off unless a JWKS is named; then `issuer` and `audience` are required.
 */
import { filePath, integer, onOff, word, type ValueParser } from '../lib/config-values.js';
import { setting } from '../config/setting.js';

/**
 * Asymmetric algorithms only: a JWKS publishes public keys, and `none` or an HMAC algorithm would
 * let whoever reads the JWKS mint tokens.
 */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** A full http(s) URL (a JWKS lives at a path, e.g. `/.well-known/jwks.json`). */
export const httpUrl: ValueParser<string> = {
  expected: 'an http(s) URL',
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    try {
      const url = new URL(raw.trim());
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' ? url.href : undefined;
    } catch {
      return undefined;
    }
  },
};

/** Comma-separated in the environment, an array in the file; exact spelling, as JOSE names them. */
export const jwtAlgorithms: ValueParser<JwtAlgorithm[]> = {
  expected: `a comma-separated list of ${JWT_ALGORITHMS.join(', ')}`,
  parse(raw) {
    const items = typeof raw === 'string' ? raw.split(',').map((item) => item.trim()) : Array.isArray(raw) ? raw : undefined;
    if (items === undefined || items.length === 0) return undefined;
    const known = items.filter((item): item is JwtAlgorithm => JWT_ALGORITHMS.some((alg) => alg === item));
    return known.length === items.length ? [...new Set(known)] : undefined;
  },
};

export const JWT_SETTINGS = {
  jwksUrl: setting({
    env: 'INTERLINK_JWT_JWKS_URL',
    file: 'jwt.jwksUrl',
    parser: httpUrl,
    shownDefault: 'none (JWTs refused)',
    description: "Identity provider's JWKS URL: `Authorization: Bearer <JWT>` is then verified against its keys (see [JWT callers](#jwt-callers)).",
  }),
  jwksFile: setting({ env: 'INTERLINK_JWT_JWKS_FILE', file: 'jwt.jwksFile', parser: filePath, description: 'A JWKS in a file instead of at a URL; re-read when a token names a key it lacks.' }),
  issuer: setting({ env: 'INTERLINK_JWT_ISSUER', file: 'jwt.issuer', parser: word('a JWT issuer (no spaces)', { max: 512 }), description: 'The `iss` every token must carry; required with a JWKS.' }),
  audience: setting({ env: 'INTERLINK_JWT_AUDIENCE', file: 'jwt.audience', parser: word('a JWT audience (no spaces)', { max: 512 }), description: 'The `aud` every token must include; required with a JWKS.' }),
  algorithms: setting({ env: 'INTERLINK_JWT_ALGORITHMS', file: 'jwt.algorithms', parser: jwtAlgorithms, default: ['RS256'], description: 'Signature algorithms accepted (asymmetric only; `none` and HMAC never).' }),
  clockSkewSeconds: setting({ env: 'INTERLINK_JWT_CLOCK_SKEW_S', file: 'jwt.clockSkewSeconds', parser: integer(0, 300, 's'), default: 30, description: 'Clock skew allowed on `exp` and `nbf`.' }),
  tenantsClaim: setting({
    env: 'INTERLINK_JWT_TENANTS_CLAIM',
    file: 'jwt.tenantsClaim',
    parser: word('a claim name (no spaces)', { max: 128 }),
    default: 'interlink_tenants',
    description: 'Claim holding the tenants a token grants, as an API key\'s `tenants` (`{"zuora": [...], "m3ter": [...], "revio": [...]}`).',
  }),
  // jose's createRemoteJWKSet: a token with an unknown `kid` refetches the JWKS at most this often,
  // so a stream of forged kids cannot turn into a stream of requests to the identity provider.
  jwksCooldownMs: setting({ env: 'INTERLINK_JWT_JWKS_COOLDOWN_MS', file: 'jwt.jwksCooldownMs', parser: integer(0, 3_600_000, 'ms'), default: 30_000, description: 'Least time between two JWKS fetches (a new `kid` waits at most this long).' }),
  jwksCacheMs: setting({ env: 'INTERLINK_JWT_JWKS_CACHE_MS', file: 'jwt.jwksCacheMs', parser: integer(1000, 86_400_000, 'ms'), default: 600_000, description: 'How long a fetched JWKS is used before it is fetched again.' }),
  trustedDocumentsOnly: setting({
    env: 'INTERLINK_JWT_TRUSTED_DOCUMENTS_ONLY',
    file: 'jwt.trustedDocumentsOnly',
    parser: onOff,
    default: false,
    description: 'JWT callers may run only the operations of the trusted documents manifest (see [Trusted documents](#trusted-documents)).',
  }),
};
