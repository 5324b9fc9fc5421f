/**
 * Target (e)'s start-up: writes Tailcall's root config to a temporary folder (the port is only
 * known now, and Tailcall 1.0.0 reads it from `@server` in its GraphQL config; it reads no JSON or
 * YAML config) and returns the command the harness spawns as itself, so the pid it pins and
 * measures is Tailcall's. The root config links the committed schema (./schema.graphql) and
 * script (./entity-count.js); the sandbox URL, the Zuora token the harness fetched (as targets a,
 * c, d use) and the root entity reach the schema's templates as environment variables, so no
 * secret is written to disk.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LaunchInputs, PreparedCommand } from '../index.js';
import { REQUEST_ID_HEADER } from '../../workloads/index.js';
import { tailcallBinary } from './tailcall-binary.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SCHEMA = join(HERE, 'schema.graphql');
const SCRIPT = join(HERE, 'entity-count.js');

export interface TailcallSettings {
  /**
   * Tailcall's in-flight dedupe (`dedupe: true` on every `@http`), default on: with every bench
   * request identical, it shares upstream answers between concurrent requests. Off, each request
   * gets its own upstream calls, for throughput on equal upstream work: `dedupe: false`, and the
   * request's REQUEST_ID_HEADER keys Tailcall's data loaders, which are shared by all requests and
   * would otherwise merge identical calls of concurrent requests within the 1 ms batch window.
   */
  dedupe: boolean;
}

export async function prepareTailcall({ sandbox, tokens, port, cwd }: LaunchInputs, settings: TailcallSettings): Promise<PreparedCommand> {
  const binary = tailcallBinary(cwd);
  const dir = await mkdtemp(join(tmpdir(), 'interlink-bench-tailcall-'));
  const schema = settings.dedupe ? SCHEMA : await withoutDedupe(dir);
  // JSON string literals are GraphQL string literals too (the paths).
  const root = [
    'schema',
    // One worker: one core's worth, as every other target is one Node process.
    `  @server(hostname: "127.0.0.1", port: ${port}, workers: 1)`,
    `  @upstream(${upstreamArguments(settings)})`,
    `  @link(type: Config, src: ${JSON.stringify(schema)})`,
    `  @link(type: Script, src: ${JSON.stringify(SCRIPT)}) {`,
    '  query: Query',
    '}',
    '',
  ].join('\n');
  const file = join(dir, 'tailcall.graphql');
  await writeFile(file, root);
  return {
    command: binary.path,
    args: ['start', file],
    env: {
      BENCH_ZUORA_URL: sandbox.urls.zuora,
      BENCH_ZUORA_TOKEN: tokens.zuora,
      BENCH_ZUORA_ROOT: sandbox.credentials.zuora.entityIds[0]!,
      TAILCALL_LOG_LEVEL: 'warn',
      // Tailcall sends usage analytics unless told not to.
      TAILCALL_TRACKER: 'false',
    },
    note: `Tailcall ${binary.version}, the packaged binary (@tailcallhq/core-linux-x64-gnu), in-flight dedupe ${settings.dedupe ? 'on' : 'off (--dedupe=off)'}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `@upstream`'s arguments. No HTTP cache: `httpCache` defaults to 0. */
function upstreamArguments({ dedupe }: TailcallSettings): string {
  // Batching needs a window: 1 ms is the least it takes. `batch.headers` are the headers Tailcall
  // keys its data loaders on besides the URL: without `entityId`, every entity's connection list
  // would be answered by the first one's.
  if (dedupe) return 'batch: {delay: 1, maxSize: 1000, headers: ["entityid"]}';
  // The request's unique header, forwarded upstream (allowedHeaders), keys the data loaders too,
  // so no call is shared between requests, except the batched source/target read: Tailcall merges
  // the ids of every pending key into one call, whatever their headers.
  return `allowedHeaders: ["${REQUEST_ID_HEADER}"], batch: {delay: 1, maxSize: 1000, headers: ["entityid", "${REQUEST_ID_HEADER}"]}`;
}

/** A copy of the schema in `dir` with every `dedupe: true` made `false`; its path. */
async function withoutDedupe(dir: string): Promise<string> {
  const text = await readFile(SCHEMA, 'utf8');
  const count = text.match(/\bdedupe: true\b/g)?.length ?? 0;
  if (count === 0) throw new Error(`${SCHEMA}: expected \`dedupe: true\` on its @http calls, found none`);
  const copy = join(dir, 'schema.graphql');
  await writeFile(copy, text.replace(/\bdedupe: true\b/g, 'dedupe: false'));
  return copy;
}
