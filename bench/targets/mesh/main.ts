/**
 * Target (d): GraphQL Mesh v1 / Hive Gateway over the sandbox. Composes the supergraph from the
 * vendor contracts (compose-supergraph.ts), serves it with Hive Gateway's runtime on node:http at
 * 127.0.0.1:PORT/graphql in this one process (no workers, so the harness's /proc readings are the
 * whole gateway), prints `{"url":…}` when listening and exits on SIGTERM. Gateway settings are
 * Hive Gateway's defaults apart from quiet logs, no landing page and no GraphiQL: no caching, no
 * deduplication, no retries are configured.
 */
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { SandboxInfo } from '../../sandbox-server.js';
import { composeSupergraph } from './compose-supergraph.js';

const { sandbox, tokens, port } = readEnv(process.env);
const supergraph = await composeSupergraph({ sandbox, tokens });
// 'warn' logs only warnings and errors, which Node's console writes to stderr.
const gateway = createGatewayRuntime({ supergraph, logging: 'warn', landingPage: false, graphiql: false });
const server = createServer(gateway);

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`expected a TCP address, got ${String(address)}`);
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
});

process.once('SIGTERM', () => {
  server.close(() => void Promise.resolve(gateway.dispose()).finally(() => process.exit(0)));
  // Load generators leave keep-alive sockets open; close() alone would wait for them.
  server.closeAllConnections();
});

function readEnv(env: NodeJS.ProcessEnv): { sandbox: SandboxInfo; tokens: { zuora: string; m3ter: string }; port: number } {
  const missing = ['BENCH_SANDBOX', 'BENCH_TOKENS'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} must be set (the JSON the bench harness passes), got nothing`);
  const port = Number(env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return { sandbox: JSON.parse(env.BENCH_SANDBOX!) as SandboxInfo, tokens: JSON.parse(env.BENCH_TOKENS!) as { zuora: string; m3ter: string }, port };
}
