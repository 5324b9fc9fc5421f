/**
 * Serves the offline GraphiQL page built by `npm run build:graphiql` (scripts/build-graphiql.ts).
 *
 *   GET /graphiql                     the page
 *   GET <endpoint> with Accept text/html  the page too, so a browser pointed at /graphql gets GraphiQL
 *   GET /graphiql/assets/<file>       a bundled file, or 404
 *
 * Every file is read once, when the handler is created, into a map keyed by its URL: a request can
 * only ever get one of those entries, so there is no path to traverse. The page is rendered once
 * too, with the config (endpoint, default headers) as an inline JSON data block.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { GRAPHIQL_CONFIG_PLACEHOLDER, GRAPHIQL_PATH, type GraphiQLPageConfig } from './graphiql-page-config.js';

export interface GraphiQLHandlerOptions {
  /** The build output folder, holding index.html and assets/ (dist/graphiql). */
  assetsDir: string;
  /** Same-origin path of the GraphQL endpoint. Default `/graphql`. */
  endpoint?: string;
  /** Headers every new tab starts with, e.g. `{ 'x-api-key': devKey }` in sandbox mode. Default none. */
  defaultHeaders?: Record<string, string>;
  /** Operation shown to a first-time visitor. Default: GraphiQL's welcome text. */
  defaultQuery?: string;
}

/** Serves the request and returns true when it is GraphiQL's; returns false, untouched, otherwise. */
export type GraphiQLHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const ASSETS_PREFIX = `${GRAPHIQL_PATH}/assets/`;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Only this origin. Monaco and GraphiQL set styles inline (style attributes and <style> elements
 * created at run time), hence 'unsafe-inline' for styles only; GraphiQL's fonts are data: URLs.
 * Workers are same-origin files (see src/graphiql/setup-workers.ts), so worker-src needs no blob:.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  body: Buffer;
  headers: Record<string, string>;
}

export function createGraphiQLHandler(options: GraphiQLHandlerOptions): GraphiQLHandler {
  const endpoint = options.endpoint ?? '/graphql';
  if (!endpoint.startsWith('/') || endpoint.startsWith('//')) {
    throw new TypeError(`GraphiQL endpoint must be a same-origin path such as "/graphql", got ${JSON.stringify(endpoint)}`);
  }
  const config: GraphiQLPageConfig = {
    endpoint,
    defaultHeaders: { ...options.defaultHeaders },
    ...(options.defaultQuery === undefined ? {} : { defaultQuery: options.defaultQuery }),
  };
  const page = renderPage(readTemplate(options.assetsDir), config);
  const assets = readAssets(join(options.assetsDir, 'assets'));

  return (req, res) => {
    const path = pathOf(req.url);
    const isPage = path === GRAPHIQL_PATH || path === `${GRAPHIQL_PATH}/` || (path === endpoint && acceptsHtml(req));
    const isAsset = path.startsWith(ASSETS_PREFIX);
    if (!isPage && !isAsset) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // A POST to the endpoint is GraphQL's, even from a browser; only GraphiQL's own paths answer 405.
      if (path === endpoint) return false;
      send(req, res, 405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' }, Buffer.from('Method Not Allowed\n'));
      return true;
    }
    const file = isPage ? page : assets.get(path.slice(ASSETS_PREFIX.length));
    if (!file) {
      send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, Buffer.from('Not Found\n'));
      return true;
    }
    if (req.headers['if-none-match'] === file.headers.etag) {
      send(req, res, 304, { etag: file.headers.etag!, 'cache-control': file.headers['cache-control']! }, Buffer.alloc(0));
      return true;
    }
    send(req, res, 200, file.headers, file.body);
    return true;
  };
}

/** Escapes the JSON so that no value can close the <script> block or open a comment in it. */
export function serializeConfig(config: GraphiQLPageConfig): string {
  return JSON.stringify(config)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function readTemplate(assetsDir: string): string {
  const path = join(assetsDir, 'index.html');
  if (!existsSync(path)) {
    throw new Error(`GraphiQL assets not found: expected ${path}. Run "npm run build:graphiql" first.`);
  }
  const template = readFileSync(path, 'utf8');
  if (!template.includes(GRAPHIQL_CONFIG_PLACEHOLDER)) {
    throw new Error(`${path} has no ${GRAPHIQL_CONFIG_PLACEHOLDER} placeholder; rebuild it with "npm run build:graphiql".`);
  }
  return template;
}

function renderPage(template: string, config: GraphiQLPageConfig): StaticFile {
  // A function replacement, so `$&` and friends in a header value are not replacement patterns.
  const body = Buffer.from(template.replace(GRAPHIQL_CONFIG_PLACEHOLDER, () => serializeConfig(config)));
  return {
    body,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The page may carry an API key in its config: never store it in a shared cache.
      'cache-control': 'no-store',
      'content-security-policy': GRAPHIQL_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      etag: etagOf(body),
    },
  };
}

function readAssets(dir: string): Map<string, StaticFile> {
  const assets = new Map<string, StaticFile>();
  // Flat folder by construction: esbuild writes every output next to the others.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const body = readFileSync(join(dir, entry.name));
    assets.set(entry.name, {
      body,
      headers: {
        'content-type': CONTENT_TYPES[extname(entry.name)] ?? 'application/octet-stream',
        // Names carry a content hash, so a name never points at different bytes.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        etag: etagOf(body),
      },
    });
  }
  return assets;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?', 1)[0]!;
}

function acceptsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
