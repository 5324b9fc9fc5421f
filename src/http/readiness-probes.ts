/**
 * `/readyz` probes from the process-wide clients: one cheap authenticated read per configured
 * credential, so a wrong secret or an unreachable host at any tenant makes the gateway unready.
 *
 *   zuora  GET /v1/entities     (once per OAuth client, as its first entity)
 *   m3ter  getConfiguration (the org's mapping configuration), per org
 *   revio  listSystems (the IntegrationSystem list), per client
 *
 * A probe's failure carries the upstream error's code (UPSTREAM_AUTH_FAILED, …) to the response.
 * Its request id `readyz` is its own flow at the tenant limiters (fair-queue.ts): a probe waits
 * one turn behind a busy request's backlog, not the whole of it, so load alone does not time it out.
 */
import type { ReadinessProbe } from './health.js';
import type { Upstreams } from '../upstreams/index.js';
import type { Vendor } from '../upstreams/vendor.js';

export function readinessProbes(upstreams: Upstreams): Record<Vendor, ReadinessProbe> {
  // Several entities may share one OAuth client: probe each client once, acting as its first entity.
  const zuoraActingAs = new Map<object, string>();
  for (const entityId of upstreams.zuora.entityIds) {
    const client = upstreams.zuora.clientFor(entityId);
    if (client !== undefined && !zuoraActingAs.has(client)) zuoraActingAs.set(client, entityId);
  }
  return {
    zuora: () => Promise.all([...zuoraActingAs.values()].map((entityId) => upstreams.zuora.clientFor(entityId)!.listEntities({ entityId, requestId: 'readyz' }))),
    m3ter: () => Promise.all(upstreams.m3ter.orgIds.map((orgId) => upstreams.m3ter.clientFor(orgId)!.getConfiguration({ requestId: 'readyz' }))),
    revio: () => Promise.all(upstreams.revio.clientCodes.map((code) => upstreams.revio.clientFor(code)!.listSystems({ requestId: 'readyz' }))),
  };
}
