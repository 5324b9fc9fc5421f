/** The fuzz session's summary, as printed by `npm run fuzz` and in a failing quick run. */
import type { FuzzSessionResult } from './fuzz-session.js';

export function fuzzReport(result: FuzzSessionResult): string {
  const failures = [...result.failures, ...(result.load?.violations ?? []).map((violation) => ({ ...violation, seed: undefined, path: undefined, counterexample: undefined }))];
  const lines = [
    `cases run: ${result.cases} in ${result.batches} batches${result.load ? `, plus ${result.load.requests} load requests` : ''}`,
    `invariants checked: ${result.checks}`,
    `reach: ${result.reach.executed} cases executed, ${result.reach.vendorCalls} reached a vendor, ${result.reach.vendorWrites} wrote to one`,
    `worst RSS of the gateway process under load: ${result.load ? `${result.load.worstRssMb.toFixed(0)} MB` : 'not measured (no load shapes)'}`,
    `worst probe latency: ${Math.round(Math.max(result.worstProbeMs, result.load?.probes.worstMs ?? 0))} ms (documents ${Math.round(result.worstProbeMs)} ms${result.load ? `, under load ${Math.round(result.load.probes.worstMs)} ms, ${result.load.probes.answered}/${result.load.probes.sent} answered` : ''})`,
    ...(result.load ? [`load statuses: ${JSON.stringify(result.load.statuses)}; slow holders the gateway closed: ${result.load.slowHoldersClosedByGateway}`] : []),
    `failures: ${failures.length}`,
  ];
  for (const failure of failures) {
    lines.push(`- ${'signature' in failure && failure.signature ? failure.signature : failure.invariant}${failure.seed !== undefined ? ` (seed ${failure.seed}, path ${failure.path})` : ' (load shapes)'}: ${failure.message}`);
    if (failure.counterexample) lines.push(`    ${failure.counterexample}`);
  }
  return lines.join('\n');
}
