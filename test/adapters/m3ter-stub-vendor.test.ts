// Answers the sandbox never gives (it follows the contract): a 409, bodies of the wrong shape,
// paging that does not advance, a 413. A tiny m3ter stand-in on a real socket gives them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamConflictError, UpstreamContractError, UpstreamRejectedError } from '../../src/errors.js';
import { createM3terClient, type M3terClient } from '../../src/upstreams/m3ter/client.js';
import type { M3terMapping } from '../../src/upstreams/m3ter/m3ter-types.js';
import { upstreamErrorOf } from '../helpers/vendors/m3ter.js';

const ORG = '11111111-2222-4333-8444-555555555555';
const TENANT = { name: 'stub', orgId: ORG, accessKeyId: 'stub-key', apiSecret: 'stub-secret-value' };

type Handler = (req: IncomingMessage, url: URL, body: string) => { status: number; body: unknown; raw?: boolean };

let server: Server;
let url: string;
let handler: Handler;
let seen: { method: string; path: string; query: URLSearchParams }[];
let client: M3terClient;

function mapping(id: string, version: number, extra: Partial<M3terMapping> = {}): M3terMapping {
  return { id, version, m3terEntity: 'Account', m3terId: 'acct-1', externalSystem: 'Salesforce', externalTable: 'Account', externalId: '001', ...extra };
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parsed = new URL(req.url ?? '/', 'http://stub');
      let answer: { status: number; body: unknown; raw?: boolean };
      if (parsed.pathname === '/oauth/token') {
        answer = { status: 200, body: { access_token: 'stub-token', token_type: 'bearer', expires_in: 18000, scope: null } };
      } else {
        seen.push({ method: req.method ?? 'GET', path: parsed.pathname, query: parsed.searchParams });
        answer = handler(req, parsed, body);
      }
      const text = answer.raw ? String(answer.body) : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': answer.raw ? 'text/html' : 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createM3terClient({ url, tenant: TENANT, limits: { concurrency: 10 }, retry: { backoffBaseMs: 5, backoffLimitMs: 10, noiseMs: 0 } });
});

beforeEach(() => {
  seen = [];
});

afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const PUT_BODY = { m3terEntity: 'Account', m3terId: 'acct-1', externalSystem: 'Salesforce', externalTable: 'Account', externalId: '001', version: 3 };

describe('m3ter client against a stand-in: update conflicts', () => {
  it('never retries a 409, and reports CONFLICT when the re-read shows a newer version', async () => {
    handler = (req) => (req.method === 'PUT' ? { status: 409, body: { message: 'conflict' } } : { status: 200, body: mapping('m-1', 4) });
    const error = await upstreamErrorOf(client.updateMapping({ id: 'm-1', mapping: PUT_BODY }));
    expect(error).toBeInstanceOf(UpstreamConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', retryable: false, status: 409 });
    expect(seen.map((call) => call.method)).toEqual(['PUT', 'GET']);
  });

  it('reports a 409 with an unchanged version as BAD_USER_INPUT', async () => {
    handler = (req) => (req.method === 'PUT' ? { status: 409, body: { message: 'conflict' } } : { status: 200, body: mapping('m-1', 3) });
    const error = await upstreamErrorOf(client.updateMapping({ id: 'm-1', mapping: PUT_BODY }));
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', retryable: false, status: 409 });
    expect(seen.map((call) => call.method)).toEqual(['PUT', 'GET']);
  });

  it('reports the refusal as it was when the re-read itself fails', async () => {
    handler = (req) => (req.method === 'PUT' ? { status: 400, body: { message: 'bad' } } : { status: 500, body: { message: 'down' } });
    const error = await upstreamErrorOf(client.updateMapping({ id: 'm-1', mapping: PUT_BODY }));
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error.status).toBe(400);
  });
});

describe('m3ter client against a stand-in: answers of the wrong shape', () => {
  it.each([
    ['an HTML page', { status: 200, body: '<html>maintenance</html>', raw: true }],
    ['a mapping without its id', { status: 200, body: { m3terEntity: 'Account' } }],
    ['an array', { status: 200, body: [] }],
  ])('fails a get answered with %s as an internal contract error', async (_label, answer) => {
    handler = () => answer;
    const error = await upstreamErrorOf(client.getMapping({ id: 'm-1' }));
    expect(error).toBeInstanceOf(UpstreamContractError);
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', retryable: false, vendorCode: 'UNEXPECTED_RESPONSE' });
    expect(error.message).not.toContain('maintenance');
  });

  it('fails a page whose data is not a list of mappings', async () => {
    handler = () => ({ status: 200, body: { data: [{ id: 7 }] } });
    await expect(client.listMappings()).rejects.toBeInstanceOf(UpstreamContractError);
  });

  it('reads a page without data as empty, and null or "" nextToken as the last page', async () => {
    for (const body of [{}, { data: null }, { data: [], nextToken: null }, { data: [], nextToken: '' }]) {
      handler = () => ({ status: 200, body });
      expect(await client.listAllMappings()).toEqual([]);
    }
    expect(seen).toHaveLength(4);
  });

  it('stops paging that hands back the same nextToken', async () => {
    handler = () => ({ status: 200, body: { data: [mapping('m-1', 1)], nextToken: 'same' } });
    const error = await upstreamErrorOf(client.listAllMappings());
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', vendorCode: 'PAGING_NOT_ADVANCING' });
    expect(seen).toHaveLength(2);
  });

  it('halves the page size once after a 413', async () => {
    handler = (_req, u) => (u.searchParams.get('pageSize') === '200' ? { status: 413, body: { message: 'too large' } } : { status: 200, body: { data: [mapping('m-1', 1)] } });
    expect(await client.listAllMappings({ externalSystem: 'Salesforce' })).toHaveLength(1);
    expect(seen.map((call) => `${call.query.get('pageSize')} ${call.query.get('externalSystemId')}`)).toEqual(['200 Salesforce', '100 Salesforce']);
  });

  it('refuses a token that is not a bearer token', async () => {
    const other = createM3terClient({ url, tenant: { ...TENANT, name: 'stub-mac' }, limits: { concurrency: 1 } });
    const original = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'x', token_type: 'mac', expires_in: 18000 }));
        return;
      }
      original(req, res);
    });
    try {
      const error = await upstreamErrorOf(other.getConfiguration());
      expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', operation: 'fetchToken', vendorCode: 'UNEXPECTED_RESPONSE' });
      expect(seen).toHaveLength(0);
    } finally {
      server.removeAllListeners('request');
      server.on('request', original);
      other.close();
    }
  });
});
