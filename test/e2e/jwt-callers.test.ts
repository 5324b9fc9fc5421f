/**
 * Callers with JWTs from their identity provider: verified against a real JWKS server on
 * 127.0.0.1, mapped to the same caller model as API keys, and every bad token refused with 401
 * before any vendor call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { withGateway } from '../helpers/gateway.js';
import { startJwksServer, type JwksServer, type SigningKey } from '../helpers/jwks-server.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'interlink';
const QUERY = '{ entities { totalCount } }';

describe('JWT callers', () => {
  let jwks: JwksServer;
  let current: SigningKey;
  beforeAll(async () => {
    jwks = await startJwksServer();
    current = await jwks.newKey('key-1');
  });
  afterAll(() => jwks?.close());

  const gw = withGateway(() => ({
    // Cooldown 0: a token naming a new kid refetches at once (the rotation test); the default waits 30 s.
    env: { INTERLINK_JWT_JWKS_URL: jwks.url, INTERLINK_JWT_ISSUER: ISSUER, INTERLINK_JWT_AUDIENCE: AUDIENCE, INTERLINK_JWT_JWKS_COOLDOWN_MS: '0' },
  }));

  const allTenants = () => ({
    zuora: gw.sandbox.tenants.zuora.flatMap((tenant) => tenant.entityIds),
    m3ter: gw.sandbox.tenants.m3ter.map((tenant) => tenant.orgId),
    revio: gw.sandbox.tenants.revio.map((tenant) => tenant.clientCode),
  });
  const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: AUDIENCE, sub: 'billing-sync', scope: 'read write', interlink_tenants: allTenants(), ...extra });
  const postWith = (token: string, query = QUERY) => gw.post(query, { key: token });

  it('runs a query for a valid token, as the caller its claims describe', async () => {
    const mark = gw.sandbox.ledger.mark;
    const response = await postWith(await jwks.sign(current, claims(), { expiresIn: '5m' }));
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.entities.totalCount).toBeGreaterThan(0);
    expect(gw.calls(mark)).toBeGreaterThan(0);
    const line = gw.logs().findLast((entry) => entry.msg === 'graphql request');
    expect(line?.keyId).toBe('jwt:billing-sync');
  });

  it('takes scopes from the scope claim: a read-only token may not run a mutation (403, no call)', async () => {
    const mark = gw.sandbox.ledger.mark;
    const token = await jwks.sign(current, claims({ scope: 'openid read' }), { expiresIn: '5m' });
    const response = await postWith(token, 'mutation { deleteExternalLink(input: { id: "x" }) { clientMutationId } }');
    expect(response.status).toBe(403);
    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(gw.calls(mark)).toBe(0);
  });

  it('takes tenants from the configured claim: a token granting no Zuora entity reads none (FORBIDDEN, no call)', async () => {
    const mark = gw.sandbox.ledger.mark;
    const response = await postWith(await jwks.sign(current, claims({ interlink_tenants: { ...allTenants(), zuora: [] } }), { expiresIn: '5m' }));
    expect(response.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(gw.calls(mark)).toBe(0);
  });

  it('refuses a malformed tenants claim (401, no call)', async () => {
    const mark = gw.sandbox.ledger.mark;
    const response = await postWith(await jwks.sign(current, claims({ interlink_tenants: { zuora: [42] } }), { expiresIn: '5m' }));
    expect(response.status).toBe(401);
    expect(response.body.errors[0].message).toMatch(/interlink_tenants claim must list Zuora entity ids/);
    expect(gw.calls(mark)).toBe(0);
  });

  describe('refuses with 401 and no vendor call', () => {
    const refused = async (token: string, message: RegExp) => {
      const mark = gw.sandbox.ledger.mark;
      const response = await postWith(token);
      expect(response.status).toBe(401);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(response.body.errors[0].message).toMatch(message);
      expect(response.body.data).toBeUndefined();
      expect(gw.calls(mark, { withTokens: true })).toBe(0);
      // Neither the token nor the identity provider's address reaches the client.
      const signature = token.split('.')[2]!;
      if (signature !== '') expect(JSON.stringify(response.body)).not.toContain(signature.slice(0, 20));
      expect(JSON.stringify(response.body)).not.toContain('127.0.0.1');
    };

    it('an unsigned token (alg: none)', async () => {
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      await refused(`${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims(), iat: now, exp: now + 300 })}.`, /algorithm|not a valid JWT/);
    });

    it('a token for another audience', async () => {
      await refused(await jwks.sign(current, claims({ aud: 'another-api' }), { expiresIn: '5m' }), /\(aud\)/);
    });

    it('a token from another issuer', async () => {
      await refused(await jwks.sign(current, claims({ iss: 'https://evil.example.test/' }), { expiresIn: '5m' }), /\(iss\)/);
    });

    it('an expired token, past the clock skew', async () => {
      await refused(await jwks.sign(current, claims(), { expiresIn: Math.floor(Date.now() / 1000) - 120 }), /expired/);
    });

    it('a token without an expiry', async () => {
      await refused(await jwks.sign(current, claims()), /expiry/);
    });

    it('a token not valid yet', async () => {
      await refused(await jwks.sign(current, claims(), { expiresIn: '10m', notBefore: Math.floor(Date.now() / 1000) + 300 }), /not valid yet/);
    });

    it('a token with a bad signature (signed by another key under a published kid)', async () => {
      const impostor = await jwks.newKey('key-1', false);
      await refused(await jwks.sign(impostor, claims(), { expiresIn: '5m' }), /signature/);
    });

    it('a token signed with a key the provider never published (unknown kid)', async () => {
      const stranger = await jwks.newKey('unknown-kid', false);
      await refused(await jwks.sign(stranger, claims(), { expiresIn: '5m' }), /signing key/);
    });

    it('a token whose algorithm is not pinned (RS384, published, when only RS256 is accepted)', async () => {
      const rs384 = await jwks.newKey('key-rs384', true, 'RS384');
      await refused(await jwks.sign(rs384, claims(), { expiresIn: '5m' }), /algorithm/);
      jwks.published.splice(jwks.published.indexOf(rs384), 1);
    });
  });

  it('accepts a rotated key (new kid) without a restart', async () => {
    const before = jwks.fetches();
    const next = await jwks.newKey('key-2');
    const response = await postWith(await jwks.sign(next, claims(), { expiresIn: '5m' }));
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(jwks.fetches()).toBe(before + 1);
    // The old key still works while published; no refetch for a kid already known.
    const old = await postWith(await jwks.sign(current, claims(), { expiresIn: '5m' }));
    expect(old.status).toBe(200);
    expect(jwks.fetches()).toBe(before + 1);
  });

  it('still accepts API keys beside JWTs', async () => {
    const response = await gw.post(QUERY);
    expect(response.status).toBe(200);
  });
});

describe('JWT configuration', () => {
  it('needs an issuer and an audience with a JWKS, and one JWKS source', () => {
    expect(() => loadConfig({ INTERLINK_JWT_JWKS_URL: 'https://idp.example.test/jwks.json' }, () => '')).toThrow(/INTERLINK_JWT_ISSUER must be .* when a JWKS is set[\s\S]*INTERLINK_JWT_AUDIENCE/);
    expect(() => loadConfig({ INTERLINK_JWT_JWKS_URL: 'https://idp.example.test/jwks.json', INTERLINK_JWT_JWKS_FILE: '/jwks.json', INTERLINK_JWT_ISSUER: 'i', INTERLINK_JWT_AUDIENCE: 'a' }, () => '')).toThrow(/both set/);
    expect(() => loadConfig({ INTERLINK_JWT_ALGORITHMS: 'RS256,none' }, () => '')).toThrow(/INTERLINK_JWT_ALGORITHMS must be/);
    expect(() => loadConfig({ INTERLINK_JWT_ALGORITHMS: 'HS256' }, () => '')).toThrow(/INTERLINK_JWT_ALGORITHMS must be/);
  });

  it('is off by default', () => {
    expect(loadConfig({}, () => '').jwt).toEqual({ algorithms: ['RS256'], clockSkewSeconds: 30, tenantsClaim: 'interlink_tenants', jwksCooldownMs: 30_000, jwksCacheMs: 600_000, trustedDocumentsOnly: false });
  });
});
