/**
 * The four workloads for target (d), GraphQL Mesh / Hive Gateway: its own documents
 * (`wN-*\/mesh.graphql`, written against the vendor-shaped schema Mesh composes from the specs
 * plus bench/targets/mesh/link-type-defs.ts) and checks on its vendor-shaped answers. They fetch
 * the same records as the Interlink documents; where Mesh's schema needs more from the caller
 * (m3ter's external table, Rev.io's numeric ids, whether a record is a Zuora entity), the steps
 * supply it, as a Mesh client would have to. bench/targets/mesh/README.md has the differences.
 */
import type { BenchRequest, BenchStep, WorkloadContext, WorkloadId } from './index.js';
import { workloadDocuments } from './documents.js';

const DOCUMENTS = workloadDocuments('mesh');

/** The ids Rev.io fixes itself, the same in every tenant, so a Mesh client may hard-code them. */
const REVIO_SYSTEM_IDS: Record<string, number> = { SALESFORCE: 4 };
const REVIO_ENTITY_TYPE_IDS: Record<string, number> = { CUSTOMER: 2 };

function graphqlRequest(body: { query: string; variables?: object; operationName?: string }): BenchRequest {
  return { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const w1 = (ctx: WorkloadContext): BenchStep[] => [
  {
    request: () => graphqlRequest({ query: DOCUMENTS.W1 }),
    check: (body) => {
      const entities = field<MeshEntity[]>(field(dataOf(body), 'GET_Entities'), 'entities');
      const count = ctx.sandbox.workload.entityCount;
      expect(Array.isArray(entities) && entities.length === count, `${count} entities`, entities?.length);
      // Mesh reads one page; a `nextPage` means the answer is short of the other targets'.
      const truncated = entities.find((e) => e.connections?.nextPage != null || !Array.isArray(e.connections?.entityConnections));
      expect(truncated === undefined, 'every entity with its whole connection list (no nextPage)', truncated);
      const connections = entities.flatMap((e) => e.connections?.entityConnections ?? []);
      expect(connections.length > 0, 'connections', connections.length);
      const unnamed = connections.find((c) => typeof c.source?.name !== 'string' || typeof c.target?.name !== 'string');
      expect(unnamed === undefined, 'a name at both ends of every connection', unnamed);
    },
  },
];

const w2 = (ctx: WorkloadContext): BenchStep[] => {
  const { lookups } = ctx.sandbox.workload;
  const variables: Record<string, string | boolean> = { orgId: ctx.sandbox.credentials.m3ter.orgId };
  lookups.forEach(({ system, id }, k) => Object.assign(variables, { [`s${k}`]: system, [`t${k}`]: externalTable(system, id), [`i${k}`]: id, [`z${k}`]: system.toLowerCase() === 'zuora' }));
  return [
    {
      request: () => graphqlRequest({ query: DOCUMENTS.W2, variables }),
      check: (body) => {
        const data = dataOf(body);
        lookups.forEach(({ system, id }, k) => {
          const mappings = field<MeshLink[]>(field(data, `m${k}`), 'data');
          const keyLinks = field<MeshLink[]>(field(data, `r${k}`), 'records');
          expect(Array.isArray(mappings) && mappings.length > 0, `m3ter mappings for ${system} ${id} (m${k})`, mappings);
          expect(Array.isArray(keyLinks) && keyLinks.length > 0, `Rev.io key links for ${system} ${id} (r${k})`, keyLinks);
          if (variables[`z${k}`] === true) {
            const orphan = [...mappings, ...keyLinks].find((link) => link.zuoraEntity?.id !== id || typeof link.zuoraEntity.name !== 'string');
            expect(orphan === undefined, `the Zuora entity ${id} on every link to it`, orphan);
          }
        });
      },
    },
  ];
};

const w3 = (ctx: WorkloadContext): BenchStep[] => {
  const id = ctx.sandbox.workload.entityId;
  return [
    {
      request: () => graphqlRequest({ query: DOCUMENTS.W3, variables: { id } }),
      check: (body) => {
        const entity = field<{ id?: string; name?: unknown } | null>(dataOf(body), 'GET_EntityById');
        expect(entity?.id === id && typeof entity.name === 'string', `entity ${id} with its name`, entity);
      },
    },
  ];
};

const w4 = (ctx: WorkloadContext): BenchStep[] => {
  const target = ctx.sandbox.workload.linkTarget;
  const input = {
    integration_system_id: revioId(REVIO_SYSTEM_IDS, target.externalSystem, 'system'),
    integration_entity_type_id: revioId(REVIO_ENTITY_TYPE_IDS, target.internalType, 'entity type'),
    internal_id: Number(target.internalId),
  };
  return [
    {
      request: ({ unique }) => graphqlRequest({ query: DOCUMENTS.W4, variables: { input: { ...input, external_id: `bench-${unique}` } }, operationName: 'W4Create' }),
      check: (body) => {
        const created = field<{ id?: unknown; keyLink?: { integration_key_link_id?: unknown; external_id?: unknown; created_date?: unknown } }>(dataOf(body), 'createIntegrationKeyLink');
        const link = created?.keyLink;
        expect(typeof created?.id === 'number' && link?.integration_key_link_id === created.id && typeof link.created_date === 'string' && String(link.external_id).startsWith('bench-'), 'the created key link, read back', created);
      },
    },
    {
      request: ({ previous }) => graphqlRequest({ query: DOCUMENTS.W4, variables: { id: createdId(previous) }, operationName: 'W4Delete' }),
      check: (body) => {
        const deleted = field<{ ok?: unknown } | null>(dataOf(body), 'deleteIntegrationKeyLink');
        expect(deleted?.ok === true, 'deleteIntegrationKeyLink.ok', deleted);
      },
    },
  ];
};

export const meshSteps: Record<WorkloadId, (ctx: WorkloadContext) => BenchStep[]> = { W1: w1, W2: w2, W3: w3, W4: w4 };

interface MeshEntity {
  connections?: { nextPage?: string | null; entityConnections?: { source?: { name?: unknown }; target?: { name?: unknown } }[] };
}

interface MeshLink {
  zuoraEntity?: { id?: string; name?: unknown } | null;
}

/**
 * m3ter's read by external id needs the external table, which a lookup does not carry: Zuora
 * records are entities here, and Salesforce ids name their object in their first three
 * characters (Salesforce's standard key prefixes).
 */
function externalTable(system: string, id: string): string {
  if (system.toLowerCase() === 'zuora') return 'Entity';
  if (system.toLowerCase() === 'salesforce') {
    const table = ({ '001': 'Account', '006': 'Opportunity', '01t': 'Product2' } as Record<string, string>)[id.slice(0, 3)];
    if (table !== undefined) return table;
  }
  throw new Error(`W2 (mesh): no m3ter external table known for ${system} id "${id}"; expected Zuora, or Salesforce with key prefix 001, 006 or 01t`);
}

function revioId(ids: Record<string, number>, name: string, what: string): number {
  const id = ids[name.toUpperCase()];
  if (id === undefined) throw new Error(`W4 (mesh): expected a Rev.io ${what} with a fixed id (${Object.keys(ids).join(', ')}), got "${name}"`);
  return id;
}

/** The key link id W4's create step answered with. */
function createdId(previous: unknown): number {
  const id = field<{ id?: unknown } | null>(dataOf(previous), 'createIntegrationKeyLink')?.id;
  if (typeof id !== 'number') throw new Error(`W4 delete (mesh): expected the create step's answer to hold createIntegrationKeyLink.id, got ${JSON.stringify(previous).slice(0, 300)}`);
  return id;
}

function dataOf(body: unknown): Record<string, unknown> {
  const answer = body as { data?: unknown; errors?: unknown[] } | null;
  if (answer?.errors !== undefined && answer.errors.length > 0) throw new Error(`expected no errors, got ${JSON.stringify(answer.errors).slice(0, 300)}`);
  if (typeof answer?.data !== 'object' || answer.data === null) throw new Error(`expected a data object, got ${JSON.stringify(body).slice(0, 300)}`);
  return answer.data as Record<string, unknown>;
}

function field<T>(parent: unknown, name: string): T {
  return (parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[name] : undefined) as T;
}

function expect(ok: boolean, what: string, got: unknown): asserts ok {
  if (!ok) throw new Error(`expected ${what}, got ${JSON.stringify(got)?.slice(0, 300)}`);
}
