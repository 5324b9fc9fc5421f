import { readFileSync } from 'node:fs';
import type { WorkloadId } from './index.js';

/** Where each workload's documents live: `<dir>/interlink.graphql` (b and c) and `<dir>/mesh.graphql` (d). */
const DIRS: Record<WorkloadId, string> = { W1: 'w1-entity-graph', W2: 'w2-link-resolution', W3: 'w3-entity-lookup', W4: 'w4-link-mutations' };

/** Every workload's GraphQL document in one schema's dialect. */
export function workloadDocuments(schema: 'interlink' | 'mesh'): Record<WorkloadId, string> {
  const read = (id: WorkloadId) => readFileSync(new URL(`./${DIRS[id]}/${schema}.graphql`, import.meta.url), 'utf8');
  return { W1: read('W1'), W2: read('W2'), W3: read('W3'), W4: read('W4') };
}
