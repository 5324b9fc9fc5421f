/**
 * How targets (a) direct REST and (c) naive Apollo reach the sandbox's vendors: one got
 * instance per vendor with keep-alive agents (64 sockets a host, as Interlink's base), no
 * retries, the tokens the harness fetched (BENCH_TOKENS), and Rev.io's Basic credentials and
 * subscription key. Both targets share this module, so what differs between them is only which
 * calls they make, never how a call is made.
 *
 * The timeout is long on purpose: with hundreds of calls per request, the naive target's calls
 * wait for a socket under load, and a short timeout would turn that slowness into quick GraphQL
 * errors (HTTP 200) that a load tool counts as answers.
 *
 * got's request options are built the fast way here too (src/upstreams/got-request-options.ts),
 * as Interlink builds them: the ratios compare what each target does, not how a call is made.
 */
import http from 'node:http';
import got, { type Got } from 'got';
import type { SandboxInfo } from '../../sandbox-server.js';
import { useFastRequestOptions } from '../../../src/upstreams/got-request-options.js';

export interface BenchTokens {
  zuora: string;
  m3ter: string;
}

/** A target process's inputs (the target contract in bench/targets/index.ts). */
export interface TargetEnv {
  sandbox: SandboxInfo;
  tokens: BenchTokens;
  port: number;
}

export function readTargetEnv(env: NodeJS.ProcessEnv = process.env): TargetEnv {
  const missing = ['BENCH_SANDBOX', 'BENCH_TOKENS'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} must be set (the JSON the bench harness passes), got nothing`);
  const port = Number(env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return { sandbox: JSON.parse(env.BENCH_SANDBOX!) as SandboxInfo, tokens: JSON.parse(env.BENCH_TOKENS!) as BenchTokens, port };
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallOptions {
  searchParams?: Record<string, string | number> | URLSearchParams;
  json?: unknown;
}

export interface VendorHttp {
  /** Zuora `/v1/...` as `actingEntityId` (32 hex); a `success: false` answer throws. */
  zuora<T>(method: Method, path: string, actingEntityId: string, options?: CallOptions): Promise<T>;
  /** m3ter, relative to `/organizations/{orgId}/`. */
  m3ter<T>(method: Method, path: string, options?: CallOptions): Promise<T>;
  /** Rev.io `/v1/...`. */
  revio<T>(method: Method, path: string, options?: CallOptions): Promise<T>;
  close(): void;
}

export class VendorCallError extends Error {
  constructor(
    readonly vendor: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${vendor}: ${message}`);
  }
}

export function createVendorHttp({ sandbox, tokens }: Pick<TargetEnv, 'sandbox' | 'tokens'>): VendorHttp {
  useFastRequestOptions();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const base = got.extend({ agent: { http: agent }, retry: { limit: 0 }, timeout: { request: 60_000 }, throwHttpErrors: false, followRedirect: false });
  const { credentials: c, urls } = sandbox;
  const zuora = base.extend({ prefixUrl: urls.zuora, headers: { authorization: `Bearer ${tokens.zuora}` } });
  const m3ter = base.extend({ prefixUrl: `${urls.m3ter}/organizations/${c.m3ter.orgId}`, headers: { authorization: `Bearer ${tokens.m3ter}` } });
  const revio = base.extend({
    prefixUrl: urls.revio,
    headers: {
      authorization: `Basic ${Buffer.from(`${c.revio.login}@${c.revio.clientCode}:${c.revio.password}`).toString('base64')}`,
      'ocp-apim-subscription-key': c.revio.subscriptionKey,
    },
  });

  const call = async <T>(vendor: string, client: Got, method: Method, path: string, options: CallOptions, headers: Record<string, string> = {}): Promise<T> => {
    const response = await client(path, {
      method,
      headers,
      ...(options.searchParams === undefined ? {} : { searchParams: options.searchParams }),
      ...(options.json === undefined ? {} : { json: options.json }),
    });
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new VendorCallError(vendor, `${method} ${path} answered ${response.statusCode}: ${response.body.slice(0, 200)}`, response.statusCode);
    }
    return (response.body === '' ? {} : JSON.parse(response.body)) as T;
  };

  return {
    async zuora<T>(method: Method, path: string, actingEntityId: string, options: CallOptions = {}) {
      const body = await call<T & { success?: boolean; reasons?: { code?: number }[] }>('zuora', zuora, method, path, options, { 'zuora-entity-ids': hyphenated(actingEntityId) });
      // Zuora answers business failures with HTTP 200 and `success: false`; category = code % 100.
      if (body.success === false) {
        const code = Number(body.reasons?.[0]?.code);
        throw new VendorCallError('zuora', `${method} ${path} failed with code ${code}`, code % 100 === 40 ? 404 : 400);
      }
      return body;
    },
    m3ter: (method, path, options = {}) => call('m3ter', m3ter, method, path, options),
    revio: (method, path, options = {}) => call('revio', revio, method, path, options),
    close: () => agent.destroy(),
  };
}

/** 32 hex → 8-4-4-4-12, the form `Zuora-Entity-Ids` takes. */
function hyphenated(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
