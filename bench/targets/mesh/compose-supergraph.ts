/**
 * Target (d)'s supergraph, composed in memory at start-up the way `mesh-compose` does it
 * (`getComposedSchemaFromConfig`, the CLI's own function): one `@omnigraph/openapi` subgraph per
 * vendor contract in schema/vendors/, plus the cross-vendor links of link-type-defs.ts. At
 * start-up, not ahead of time, because the sandbox's ports and the bench's tokens change every
 * run and Mesh bakes both into the supergraph's `@transport` directives.
 *
 * Credentials are the same as every other target's: the harness's Zuora and m3ter tokens
 * (BENCH_TOKENS), Rev.io's Basic credentials and subscription key (BENCH_SANDBOX).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getComposedSchemaFromConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';
import type { SandboxInfo } from '../../sandbox-server.js';
import { linkTypeDefs } from './link-type-defs.js';

export interface ComposeOptions {
  sandbox: Pick<SandboxInfo, 'urls' | 'credentials'>;
  tokens: { zuora: string; m3ter: string };
}

type MeshLogger = Parameters<typeof getComposedSchemaFromConfig>[1];

const spec = (vendor: string): string => fileURLToPath(new URL(`../../../schema/vendors/${vendor}.json`, import.meta.url));

export async function composeSupergraph({ sandbox, tokens }: ComposeOptions): Promise<string> {
  const actingEntityId = sandbox.credentials.zuora.entityIds[0];
  if (actingEntityId === undefined) throw new Error('BENCH_SANDBOX credentials.zuora.entityIds must name at least one entity, got none');
  const scratch = mkdtempSync(join(tmpdir(), 'interlink-mesh-'));
  try {
    return await compose({ sandbox, tokens, actingEntityId, m3terSpec: withoutPatterns(spec('m3ter'), scratch) });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function compose({ sandbox, tokens, actingEntityId, m3terSpec }: ComposeOptions & { actingEntityId: string; m3terSpec: string }): Promise<string> {
  const { urls, credentials: c } = sandbox;
  return getComposedSchemaFromConfig(
    {
      subgraphs: [
        {
          sourceHandler: loadOpenAPISubgraph('zuora', {
            source: spec('zuora'),
            endpoint: urls.zuora,
            // The token covers every entity, so each call must name one. `Zuora-Entity-Ids` wants
            // the hyphenated form and Mesh cannot reformat an argument, so this uses the spec's own
            // legacy `entityId` header (32 hex, still accepted when sent alone): Mesh exposes it as
            // an argument on every Zuora field, and a value here becomes its default (the root entity).
            operationHeaders: { Authorization: `Bearer ${tokens.zuora}`, entityId: actingEntityId },
          }),
        },
        {
          sourceHandler: loadOpenAPISubgraph('m3ter', {
            source: m3terSpec,
            endpoint: urls.m3ter,
            operationHeaders: { Authorization: `Bearer ${tokens.m3ter}` },
            // Answers typed as the 2xx body, a 4xx/5xx becoming a GraphQL error, instead of a
            // union of body and error shape that `@resolveTo`'s `result:` cannot path through.
            ignoreErrorResponses: true,
          }),
        },
        {
          sourceHandler: loadOpenAPISubgraph('revio', {
            source: spec('revio'),
            endpoint: urls.revio,
            operationHeaders: {
              // The client code in the Basic user name (`login@clientcode`) selects the Rev.io tenant.
              Authorization: `Basic ${Buffer.from(`${c.revio.login}@${c.revio.clientCode}:${c.revio.password}`).toString('base64')}`,
              'Ocp-Apim-Subscription-Key': c.revio.subscriptionKey,
            },
            ignoreErrorResponses: true,
          }),
        },
      ],
      additionalTypeDefs: linkTypeDefs({ m3terOrgId: c.m3ter.orgId }),
    },
    stderrLogger('mesh-compose'),
  );
}

/**
 * m3ter's `pattern`s are Java regexes (`\p{Cntrl}`, nested classes) that no JavaScript regex
 * reads the same way, so spec-driven tools must ignore them: as written, Mesh turns them into
 * `@regexp` scalars that reject every value, so no m3ter write could pass. A copy without them
 * goes to a scratch folder for the composition, since the loader takes a path.
 */
function withoutPatterns(path: string, dir: string): string {
  const text = JSON.stringify(JSON.parse(readFileSync(path, 'utf8')), (key, value: unknown) => (key === 'pattern' && typeof value === 'string' ? undefined : value));
  const copy = join(dir, 'm3ter.json');
  writeFileSync(copy, text);
  return copy;
}

/** Composition's log lines go to stderr: stdout carries only the target's one ready line. */
function stderrLogger(name: string): MeshLogger {
  const write = (level: string) => (...args: unknown[]) => process.stderr.write(`[${name}] ${level} ${args.map(String).join(' ')}\n`);
  const quiet = () => {};
  return { name, log: quiet, info: quiet, debug: quiet, warn: write('WARN'), error: write('ERROR'), child: (child) => stderrLogger(`${name}:${typeof child === 'string' ? child : JSON.stringify(child)}`) };
}
