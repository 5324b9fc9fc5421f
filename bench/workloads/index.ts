/**
 * The four workloads, as the requests each target answers them with. Interlink (b), naive
 * Apollo (c) and Tailcall (e, W1 and W3 only) serve the same schema, so they take the same
 * documents (`wN-*\/interlink.graphql`); direct REST (a) takes a small JSON body per workload
 * (bench/targets/direct-rest.ts); Mesh (d) has its own documents and steps (./mesh.ts). Every
 * target's answer is `{ data }` shaped like the GraphQL result, so one `check` serves a, b, c and e.
 *
 * The ids the workloads use come from BENCH_SANDBOX's `workload` (bench/sandbox-server.ts).
 */
import type { SandboxInfo } from '../sandbox-server.js';
import { meshSteps } from './mesh.js';
import { workloadDocuments } from './documents.js';

export type { SandboxInfo, WorkloadData } from '../sandbox-server.js';

export type TargetName = 'direct' | 'interlink' | 'naive' | 'mesh' | 'tailcall';
export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4';

export interface BenchRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface WorkloadContext {
  /** Parsed BENCH_SANDBOX. */
  sandbox: SandboxInfo;
  /** Interlink's API key (sent as `authorization: Bearer`). */
  apiKey: string;
  /** Send Tailcall (e) the iteration's unique REQUEST_ID_HEADER (with `--dedupe=off`). */
  tailcallRequestIds?: boolean;
}

export interface BenchStep {
  /** Builds the HTTP request; `previous` is the parsed JSON body of the step before (W4 delete needs the created id); `unique` is a per-iteration unique string (W4 external id). */
  request(args: { previous: unknown; unique: string }): BenchRequest;
  /** Throws if a response body is not the expected data (checked during warm-up / smoke test). */
  check(body: unknown): void;
}

export interface Workload {
  id: WorkloadId;
  title: string;
  /** One logical request. W4 is two steps (create, then delete of what was created). */
  steps(target: TargetName, ctx: WorkloadContext): BenchStep[];
}

export const WORKLOAD_IDS: readonly WorkloadId[] = ['W1', 'W2', 'W3', 'W4'];

const DOCUMENTS = workloadDocuments('interlink');

/** Targets that take Interlink's documents (b, c, e) or their direct REST equivalent (a). */
type OwnTarget = Exclude<TargetName, 'mesh'>;

/**
 * A header with the iteration's unique string, sent to Tailcall (e) with `--dedupe=off`
 * only: its config then keys upstream calls on it, so concurrent requests, all identical, share
 * no upstream answer (bench/targets/tailcall/README.md). Never with dedupe on: Tailcall keys its
 * whole-operation dedupe on every request header, so a unique one would turn that off too.
 */
export const REQUEST_ID_HEADER = 'x-bench-request';

/** A GraphQL POST for Interlink (with its key), naive Apollo or Tailcall; JSON POST to `path` for direct REST. */
function requestFor(target: OwnTarget, ctx: WorkloadContext, unique: string, graphql: { query: string; variables?: object; operationName?: string }, direct: { path: string; body: object }): BenchRequest {
  if (target === 'direct') return { method: 'POST', path: direct.path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(direct.body) };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target === 'interlink') headers.authorization = `Bearer ${ctx.apiKey}`;
  if (target === 'tailcall' && ctx.tailcallRequestIds) headers[REQUEST_ID_HEADER] = unique;
  return { method: 'POST', path: '/graphql', headers, body: JSON.stringify(graphql) };
}

/** Steps for a, b, c or e; Mesh's come from ./mesh.ts. */
type OwnSteps = (target: OwnTarget, ctx: WorkloadContext) => BenchStep[];

const w1: OwnSteps = (target, ctx) => [
  {
    request: ({ unique }) => requestFor(target, ctx, unique, { query: DOCUMENTS.W1 }, { path: '/w1', body: {} }),
    check: (body) => checkEntityGraph(body, ctx.sandbox.workload.entityCount),
  },
];

const w2: OwnSteps = (target, ctx) => {
  const { lookups } = ctx.sandbox.workload;
  const variables = Object.fromEntries(lookups.flatMap(({ system, id }, i) => [[`s${i}`, system], [`i${i}`, id]]));
  return [
    {
      request: ({ unique }) => requestFor(target, ctx, unique, { query: DOCUMENTS.W2, variables }, { path: '/w2', body: { lookups } }),
      check: (body) => checkLinkResolution(body, lookups.length),
    },
  ];
};

const w3: OwnSteps = (target, ctx) => {
  const id = ctx.sandbox.workload.entityId;
  return [
    {
      request: ({ unique }) => requestFor(target, ctx, unique, { query: DOCUMENTS.W3, variables: { id } }, { path: '/w3', body: { id } }),
      check: (body) => {
        const entity = dataOf(body).entity as { entityId?: string; name?: string } | null;
        expect(entity?.entityId?.toLowerCase() === id.toLowerCase() && typeof entity.name === 'string', `entity ${id} with its name`, entity);
      },
    },
  ];
};

const w4: OwnSteps = (target, ctx) => {
  const { linkTarget } = ctx.sandbox.workload;
  return [
    {
      request: ({ unique }) => {
        const input = { ...linkTarget, externalId: `bench-${unique}` };
        return requestFor(target, ctx, unique, { query: DOCUMENTS.W4, variables: { input }, operationName: 'W4Create' }, { path: '/w4/create', body: { input } });
      },
      check: (body) => {
        const link = (dataOf(body).createExternalLink as { externalLink?: { id?: unknown; createdAt?: unknown; external?: { id?: unknown } } } | null)?.externalLink;
        expect(typeof link?.id === 'string' && typeof link.createdAt === 'string' && String(link.external?.id).startsWith('bench-'), 'the created link with its id and createdAt', link);
      },
    },
    {
      request: ({ previous, unique }) => {
        const id = createdId(previous);
        return requestFor(target, ctx, unique, { query: DOCUMENTS.W4, variables: { id }, operationName: 'W4Delete' }, { path: '/w4/delete', body: { id } });
      },
      check: (body) => {
        const deleted = dataOf(body).deleteExternalLink as { deletedId?: unknown } | null;
        expect(typeof deleted?.deletedId === 'string', 'deleteExternalLink.deletedId', deleted);
      },
    },
  ];
};

const OWN: Record<WorkloadId, OwnSteps> = { W1: w1, W2: w2, W3: w3, W4: w4 };

const TITLES: Record<WorkloadId, string> = {
  W1: 'W1 entity graph: all entities → connections (both directions) → source/target names',
  W2: 'W2 link resolution: 50 external ids → every m3ter and Rev.io link + linked Zuora entity',
  W3: 'W3 single small lookup: one entity by id',
  W4: 'W4 mutations: create a Rev.io link, then delete it',
};

export const WORKLOADS: readonly Workload[] = WORKLOAD_IDS.map((id) => ({
  id,
  title: TITLES[id],
  steps: (target, ctx) => (target === 'mesh' ? meshSteps[id](ctx) : OWN[id](target, ctx)),
}));

export function workload(id: WorkloadId): Workload {
  return WORKLOADS.find((w) => w.id === id)!;
}

/** The id W4's create step answered with, from any a/b/c answer. */
function createdId(previous: unknown): string {
  const id = (dataOf(previous).createExternalLink as { externalLink?: { id?: unknown } } | null)?.externalLink?.id;
  if (typeof id !== 'string') throw new Error(`W4 delete: expected the create step's answer to hold createExternalLink.externalLink.id, got ${JSON.stringify(previous).slice(0, 300)}`);
  return id;
}

/** `data` of a `{ data }` answer without errors. */
export function dataOf(body: unknown): Record<string, unknown> {
  const answer = body as { data?: unknown; errors?: unknown[] } | null;
  if (answer?.errors !== undefined && answer.errors.length > 0) throw new Error(`expected no errors, got ${JSON.stringify(answer.errors).slice(0, 300)}`);
  if (typeof answer?.data !== 'object' || answer.data === null) throw new Error(`expected a data object, got ${JSON.stringify(body).slice(0, 300)}`);
  return answer.data as Record<string, unknown>;
}

function expect(ok: boolean, what: string, got: unknown): asserts ok {
  if (!ok) throw new Error(`expected ${what}, got ${JSON.stringify(got)?.slice(0, 300)}`);
}

interface GraphEnd {
  entityId?: string;
  name?: string;
}

interface EntityGraph {
  entities?: { totalCount?: number; nodes?: { entityId?: string; name?: string; connections?: { nodes?: { source?: GraphEnd; target?: GraphEnd }[] } }[] };
}

function checkEntityGraph(body: unknown, entityCount: number): void {
  const nodes = (dataOf(body) as EntityGraph).entities?.nodes;
  expect(Array.isArray(nodes) && nodes.length === entityCount, `${entityCount} entities`, nodes?.length);
  // Each list must be that entity's own: a gateway that answered every entity with one list passed before.
  const foreign = nodes.find((node) => node.connections?.nodes?.some((c) => c.source?.entityId !== node.entityId && c.target?.entityId !== node.entityId));
  expect(foreign === undefined, 'only connections with the entity at one end under each entity', foreign?.entityId);
  const connections = nodes.flatMap((node) => node.connections?.nodes ?? []);
  expect(connections.length > 0, 'connections', connections.length);
  const unnamed = connections.find((c) => typeof c.source?.name !== 'string' || typeof c.target?.name !== 'string');
  expect(unnamed === undefined, 'a name at both ends of every connection', unnamed);
}

interface LinkAnswer {
  provider?: string;
  external?: { system?: string };
  entity?: { name?: string } | null;
}

function checkLinkResolution(body: unknown, lookups: number): void {
  const data = dataOf(body);
  const lists = Array.from({ length: lookups }, (_, i) => data[`l${i}`] as LinkAnswer[] | null);
  const empty = lists.findIndex((links) => !Array.isArray(links) || !links.some((l) => l.provider === 'M3TER') || !links.some((l) => l.provider === 'REVIO'));
  expect(empty === -1, `links from both providers for each of the ${lookups} lookups`, { alias: `l${empty}`, links: lists[empty] });
  const links = lists.flat() as LinkAnswer[];
  expect(links.length >= lookups, `at least ${lookups} links`, links.length);
  const orphan = links.find((l) => l.external?.system?.toLowerCase() === 'zuora' && typeof l.entity?.name !== 'string');
  expect(orphan === undefined, 'the Zuora entity of every link to Zuora', orphan);
}
