/**
 * The seeded quick run of the adversarial harness (fuzz/): 400 generated requests from every kind
 * of caller (seed 23, the same cases on every run), each held to the per-case invariants from its
 * answer and the sandbox ledger, then 8 s of load shapes against a gateway process with another
 * key's probe. Long runs: `npm run fuzz -- --minutes N`. The report (cases, checks, worst RSS,
 * worst probe latency, each failure's seed, path and shrunk request) is the failure message.
 * Latency is reported, never asserted: the machine is shared.
 */
import { describe, expect, it } from 'vitest';
import { fuzzReport } from '../../fuzz/lib/fuzz-report.js';
import { runFuzzSession } from '../../fuzz/lib/fuzz-session.js';
import { QUICK_LOAD } from '../../fuzz/lib/load-run.js';

describe('adversarial harness, quick seeded run', () => {
  it('finds no invariant broken by 400 generated requests (seed 23) and 8 s of load shapes', async () => {
    const result = await runFuzzSession(
      // A deadline already past: exactly one batch of documents, then the load shapes.
      { minutes: 0.001, seed: 23, runsPerBatch: 400, loadSeconds: QUICK_LOAD.seconds, rssBoundMb: QUICK_LOAD.rssBoundMb, shrinkMs: 4_000 },
      process.cwd(),
      () => {},
    );
    const report = fuzzReport(result);
    console.info(report.split('\n').slice(0, 5).join('\n'));
    // The run did what it says: every case judged, the load ran and the probe was sent.
    expect(result.cases).toBeGreaterThanOrEqual(400);
    expect(result.load?.probes.sent).toBeGreaterThan(0);
    expect(result.failures.length + (result.load?.violations.length ?? 0), report).toBe(0);
  }, 120_000);
});
