/**
 * One fuzz session: document batches (seed, seed+1, ...) until the time is spent, then the load
 * shapes against a gateway process over the same sandbox. A failure signature already reported
 * (see `failureSignature`) is not shrunk again.
 */
import { startLoadGateway } from './load-gateway.js';
import { runLoadShapes, type LoadRunResult } from './load-run.js';
import { runDocumentBatch, type CaseReach, type DocumentFailure } from './document-run.js';
import type { FuzzOptions } from './fuzz-options.js';
import { loadShapesFor } from './fuzz-options.js';
import { startFuzzWorld } from './fuzz-world.js';

export interface FuzzSessionResult {
  cases: number;
  checks: number;
  batches: number;
  failures: DocumentFailure[];
  worstProbeMs: number;
  reach: CaseReach;
  load: LoadRunResult | undefined;
}

export async function runFuzzSession(options: FuzzOptions, cwd: string, log: (line: string) => void): Promise<FuzzSessionResult> {
  const world = await startFuzzWorld();
  const deadline = Date.now() + options.minutes * 60_000 - options.loadSeconds * 1000;
  const result: FuzzSessionResult = { cases: 0, checks: 0, batches: 0, failures: [], worstProbeMs: 0, reach: { executed: 0, vendorCalls: 0, vendorWrites: 0 }, load: undefined };
  const known = new Set<string>();
  try {
    do {
      const seed = (options.seed + result.batches) % 2 ** 31;
      const batch = await runDocumentBatch(world, { seed, runs: options.runsPerBatch, shrinkMs: options.shrinkMs, known, log });
      result.batches += 1;
      result.cases += batch.cases;
      result.checks += batch.checks;
      result.worstProbeMs = Math.max(result.worstProbeMs, batch.worstProbeMs);
      for (const key of ['executed', 'vendorCalls', 'vendorWrites'] as const) result.reach[key] += batch.reach[key];
      for (const failure of batch.failures) known.add(failure.signature);
      result.failures.push(...batch.failures);
      log(`batch ${result.batches} (seed ${seed}): ${batch.cases} cases, ${batch.failures.length} new failing invariants`);
    } while (Date.now() < deadline);
    if (options.loadSeconds > 0) {
      log(`load shapes for ${options.loadSeconds} s against a gateway process`);
      const gateway = await startLoadGateway(world.gw.sandbox, cwd);
      try {
        result.load = await runLoadShapes(gateway, loadShapesFor(options));
        result.checks += result.load.checks;
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await world.close();
  }
  return result;
}
