/**
 * Target (a), direct REST: a hand-written client per workload that fetches exactly the data of
 * the workload's GraphQL document with the fewest vendor calls the APIs allow (bulk lists, the
 * largest page sizes, independent calls in parallel): the floor for any gateway. No GraphQL, no
 * cache across requests; the Rev.io catalog is resolved once at start, as Interlink's client does.
 *
 *   POST /w1         {}                      → { data: { entities } }                 (w1-entity-graph.ts)
 *   POST /w2         { lookups: [{system,id}] } → { data: { l0: [...], ... } }        (w2-link-resolution.ts)
 *   POST /w3         { id }                  → { data: { entity } }                   (w3-entity-lookup.ts)
 *   POST /w4/create  { input }               → { data: { createExternalLink } }       (w4-link-mutations.ts)
 *   POST /w4/delete  { id }                  → { data: { deleteExternalLink } }
 *
 * A failure answers `{ errors: [{ message }] }` with 400 (bad body) or 502 (a vendor call failed).
 * Process contract (bench/targets/index.ts): env BENCH_SANDBOX, BENCH_TOKENS, PORT; prints
 * `{"url":…}` when listening; exits on SIGTERM.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { DirectContext } from './direct-rest/direct-context.js';
import { createVendorHttp, readTargetEnv, VendorCallError } from './direct-rest/vendor-http.js';
import { loadRevioCatalog } from './direct-rest/vendor-reads.js';
import { entityGraph } from './direct-rest/w1-entity-graph.js';
import { linkResolution, type Lookup } from './direct-rest/w2-link-resolution.js';
import { entityLookup } from './direct-rest/w3-entity-lookup.js';
import { createLink, deleteLink, type CreateInput } from './direct-rest/w4-link-mutations.js';

const env = readTargetEnv();
const v = createVendorHttp(env);
const context: DirectContext = { v, sandbox: env.sandbox, actingEntityId: env.sandbox.credentials.zuora.entityIds[0]!, catalog: await loadRevioCatalog(v) };

type Handler = (body: Record<string, unknown>) => Promise<unknown>;

const routes: Record<string, Handler> = {
  '/w1': () => entityGraph(context),
  '/w2': (body) => linkResolution(context, body.lookups as Lookup[]),
  '/w3': (body) => entityLookup(context, String(body.id)),
  '/w4/create': (body) => createLink(context, body.input as CreateInput),
  '/w4/delete': (body) => deleteLink(context, String(body.id)),
};

const server = createServer((req, res) => {
  const reply = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const handler = req.method === 'POST' ? routes[req.url ?? ''] : undefined;
  if (handler === undefined) return reply(404, { errors: [{ message: `POST one of ${Object.keys(routes).join(', ')}, got ${req.method} ${req.url}` }] });
  readJson(req)
    .then(handler)
    .then(
      (data) => reply(200, { data }),
      (error: unknown) => {
        const status = error instanceof VendorCallError ? (error.vendor === 'direct' ? 400 : 502) : error instanceof SyntaxError ? 400 : 500;
        if (status !== 400) process.stderr.write(`direct-rest ${req.url}: ${String(error)}\n`);
        reply(status, { errors: [{ message: error instanceof Error ? error.message : String(error) }] });
      },
    );
});

server.keepAliveTimeout = 65_000;
server.listen(env.port, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : env.port;
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');
});

process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  v.close();
});

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const body: unknown = text === '' ? {} : JSON.parse(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SyntaxError('the body must be a JSON object');
  return body as Record<string, unknown>;
}
