/**
 * `npm run fuzz -- --minutes N [--seed S]`: the adversarial harness of issue #23 for long runs.
 * `--help` lists the options; the seeded quick run is test/fuzz/fuzz-quick.test.ts.
 */
import { FuzzUsage, parseFuzzOptions } from './lib/fuzz-options.js';
import { fuzzReport } from './lib/fuzz-report.js';
import { runFuzzSession } from './lib/fuzz-session.js';

let options;
try {
  options = parseFuzzOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof FuzzUsage)) throw error;
  process.stdout.write(`${error.message}\n`);
  process.exit(/^npm run fuzz/.test(error.message) ? 0 : 2);
}
process.stderr.write(`fuzz: ${options.minutes} min, seed ${options.seed}, ${options.runsPerBatch} cases a batch, ${options.loadSeconds} s of load shapes\n`);
const result = await runFuzzSession(options, process.cwd(), (line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${fuzzReport(result)}\n`);
process.exit(result.failures.length > 0 || (result.load?.violations.length ?? 0) > 0 ? 1 : 0);
