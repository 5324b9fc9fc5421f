/**
 * The Zuora and m3ter access tokens, fetched once per bench so targets a, c and d share them
 * (BENCH_TOKENS). Rev.io has no token: Basic auth on every call. Interlink fetches its own
 * through its token provider; the ledger count excludes token calls either way.
 */
import type { SandboxInfo } from '../sandbox-server.js';

export interface BenchTokens {
  zuora: string;
  m3ter: string;
}

export async function fetchTokens(sandbox: SandboxInfo): Promise<BenchTokens> {
  const { urls, credentials: c } = sandbox;
  // Zuora takes client credentials only in a form body, with no Authorization header.
  const zuora = await tokenFrom('zuora', `${urls.zuora}/oauth/token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: c.zuora.clientId, client_secret: c.zuora.clientSecret, grant_type: 'client_credentials' }).toString(),
  });
  // m3ter takes the access key in Basic auth; the body is JSON, as the vendor SDK sends it.
  const m3ter = await tokenFrom('m3ter', `${urls.m3ter}/oauth/token`, {
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${c.m3ter.accessKeyId}:${c.m3ter.apiSecret}`).toString('base64')}` },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  return { zuora, m3ter };
}

async function tokenFrom(vendor: string, url: string, init: { headers: Record<string, string>; body: string }): Promise<string> {
  const response = await fetch(url, { method: 'POST', ...init });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${vendor} token: expected 200, got ${response.status} ${text.slice(0, 200)}`);
  const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  if (typeof token !== 'string') throw new Error(`${vendor} token: expected an access_token string in the answer`);
  return token;
}
