/**
 * `/readyz` probes from the process-wide vendors: one cheap authenticated read per configured
 * credential (each vendor's row says which), so a wrong secret or an unreachable host at any
 * tenant makes the gateway unready.
 *
 * A probe's failure carries the upstream error's code (UPSTREAM_AUTH_FAILED, …) to the response.
 * Its request id `readyz` is its own flow at the tenant limiters (fair-queue.ts): a probe waits
 * one turn behind a busy request's backlog, not the whole of it, so load alone does not time it out.
 */
import type { ReadinessProbe } from './health.js';
import type { Upstreams } from '../upstreams/index.js';

export function readinessProbes(upstreams: Upstreams): Record<string, ReadinessProbe> {
  return Object.fromEntries(upstreams.vendors.map(({ module, connected }) => [module.name, () => connected.probe()]));
}
