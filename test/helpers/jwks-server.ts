/**
 * A JWKS endpoint on 127.0.0.1 and a free port, as an identity provider serves one, with keys
 * made here: `sign` issues tokens with any of them, `rotate` publishes a new key, `fetches`
 * counts how often the gateway read the set.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface JwksServer {
  url: string;
  /** Keys published now. */
  published: SigningKey[];
  fetches(): number;
  /** A new key (RS256 unless `alg`); published unless `publish: false` (a key the provider never listed). */
  newKey(kid: string, publish?: boolean, alg?: string): Promise<SigningKey>;
  sign(key: SigningKey, claims: JWTPayload, options?: { expiresIn?: string | number; notBefore?: string | number; header?: Record<string, unknown> }): Promise<string>;
  close(): Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  const published: SigningKey[] = [];
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    published,
    fetches: () => fetches,
    async newKey(kid, publish = true, alg = 'RS256') {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      const key = { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
      if (publish) published.push(key);
      return key;
    },
    async sign(key, claims, options = {}) {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header }).setIssuedAt();
      if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
      if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
      return jwt.sign(key.privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
