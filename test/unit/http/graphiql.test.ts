import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphiQLHandler, GRAPHIQL_CONTENT_SECURITY_POLICY } from '../../../src/http/graphiql.js';
import { GRAPHIQL_CONFIG_PLACEHOLDER } from '../../../src/http/graphiql-page-config.js';

/** A built-assets folder in miniature, plus files beside it that must never be served. */
function makeAssetsDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'interlink-graphiql-'));
  const dir = join(root, 'graphiql');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><body><script id="graphiql-config" type="application/json">${GRAPHIQL_CONFIG_PLACEHOLDER}</script></body></html>`,
  );
  writeFileSync(join(dir, 'assets', 'app-AAAA.js'), 'console.log("app")');
  writeFileSync(join(dir, 'assets', 'app-AAAA.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'codicon-BBBB.ttf'), Buffer.from([0, 1, 0, 0]));
  writeFileSync(join(dir, 'secret.txt'), 'beside the assets');
  writeFileSync(join(root, 'package.json'), '{"name":"outside"}');
  return dir;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http, not fetch: fetch normalises `..` out of a URL, and these tests need it sent as is. */
function request(base: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads the inline config back the way the page does. */
function configIn(html: string): unknown {
  const match = /<script id="graphiql-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error(`no config block in ${html}`);
  return JSON.parse(match[1]!);
}

const hostile = 'k</script><script>alert(1)</script><!-- $& $1 \u2028';
let assetsDir: string;
let base: string;
let server: http.Server;

beforeAll(async () => {
  assetsDir = makeAssetsDir();
  const graphiql = createGraphiQLHandler({ assetsDir, defaultHeaders: { 'x-api-key': hostile }, defaultQuery: '{ entities { totalCount } }' });
  // Whatever GraphiQL does not serve stands for the GraphQL server behind it.
  server = http.createServer((req, res) => {
    if (graphiql(req, res)) return;
    res.writeHead(418, { 'content-type': 'text/plain' }).end('not graphiql');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(join(assetsDir, '..'), { recursive: true, force: true });
});

describe('GraphiQL handler: the page', () => {
  it('serves the page at /graphiql with a strict CSP and no caching', async () => {
    const answer = await request(base, '/graphiql');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-security-policy']).toBe(GRAPHIQL_CONTENT_SECURITY_POLICY);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(GRAPHIQL_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(GRAPHIQL_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(GRAPHIQL_CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval/);
  });

  it('renders the endpoint, default headers and default query as inline JSON', async () => {
    const answer = await request(base, '/graphiql/');
    expect(configIn(answer.body)).toEqual({
      endpoint: '/graphql',
      defaultHeaders: { 'x-api-key': hostile },
      defaultQuery: '{ entities { totalCount } }',
    });
  });

  it('escapes the config so a header value cannot end the script block', async () => {
    const { body } = await request(base, '/graphiql');
    expect(body.match(/<\/script>/g)).toHaveLength(1);
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<!--');
    expect(body).not.toContain(GRAPHIQL_CONFIG_PLACEHOLDER);
  });

  it('serves the page for a browser GET of the GraphQL endpoint', async () => {
    const answer = await request(base, '/graphql?foo=1', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('leaves GraphQL requests to the endpoint alone', async () => {
    expect((await request(base, '/graphql', { headers: { accept: 'application/json' } })).status).toBe(418);
    expect((await request(base, '/graphql', { method: 'POST', headers: { accept: 'text/html' } })).status).toBe(418);
    expect((await request(base, '/healthz')).status).toBe(418);
    expect((await request(base, '/graphiqlx')).status).toBe(418);
  });

  it('answers 405 to other methods on its own paths', async () => {
    const answer = await request(base, '/graphiql', { method: 'POST' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });

  it('answers HEAD with headers and no body', async () => {
    const answer = await request(base, '/graphiql', { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(0);
  });
});

describe('GraphiQL handler: assets', () => {
  it.each([
    ['app-AAAA.js', 'text/javascript; charset=utf-8'],
    ['app-AAAA.css', 'text/css; charset=utf-8'],
    ['codicon-BBBB.ttf', 'font/ttf'],
  ])('serves %s as %s, cached as immutable', async (name, type) => {
    const answer = await request(base, `/graphiql/assets/${name}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(type);
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(answer.headers.etag).toMatch(/^"[\w-]+"$/);
  });

  it('answers 304 when the ETag matches', async () => {
    const first = await request(base, '/graphiql/assets/app-AAAA.js');
    const second = await request(base, '/graphiql/assets/app-AAAA.js', { headers: { 'if-none-match': first.headers.etag! } });
    expect(second.status).toBe(304);
    expect(second.body).toBe('');
  });

  it.each([
    '/graphiql/assets/missing.js',
    '/graphiql/assets/',
    '/graphiql/assets/../secret.txt',
    '/graphiql/assets/../../package.json',
    '/graphiql/assets/..%2fsecret.txt',
    '/graphiql/assets/%2e%2e/%2e%2e/package.json',
    '/graphiql/assets/..\\secret.txt',
    '/graphiql/assets//etc/passwd',
    '/graphiql/assets/app-AAAA.js/',
    '/graphiql/assets/app-AAAA.js%00.txt',
    '/graphiql/index.html',
  ])('answers 404 to %s without reading outside assets/', async (path) => {
    const answer = await request(base, path);
    expect([404, 418]).toContain(answer.status);
    expect(answer.body).not.toContain('beside the assets');
    expect(answer.body).not.toContain('outside');
    if (path.startsWith('/graphiql/assets/')) expect(answer.status).toBe(404);
  });
});

describe('GraphiQL handler: set-up errors', () => {
  it('names the build command when the assets are missing', () => {
    expect(() => createGraphiQLHandler({ assetsDir: join(tmpdir(), 'interlink-no-such-dir') })).toThrow(
      /GraphiQL assets not found: expected .*index\.html\. Run "npm run build:graphiql" first\./,
    );
  });

  it('rejects an endpoint that is not a same-origin path', () => {
    expect(() => createGraphiQLHandler({ assetsDir, endpoint: 'https://example.com/graphql' })).toThrow(
      'GraphiQL endpoint must be a same-origin path such as "/graphql", got "https://example.com/graphql"',
    );
    expect(() => createGraphiQLHandler({ assetsDir, endpoint: '//example.com/graphql' })).toThrow(/same-origin path/);
  });
});
