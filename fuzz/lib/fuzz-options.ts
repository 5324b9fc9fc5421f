/**
 * `npm run fuzz` options. Defaults: 5 minutes, seed from the clock (printed, so any run can be
 * replayed), 200 cases a batch, a fifth of the time (8 to 300 s) on load shapes, RSS bound 512 MB.
 */
import { QUICK_LOAD, type LoadShapeOptions } from './load-run.js';

export interface FuzzOptions {
  minutes: number;
  seed: number;
  runsPerBatch: number;
  /** Seconds of load shapes; 0: none. */
  loadSeconds: number;
  rssBoundMb: number;
  /** Time allowed to shrink one failure, ms. */
  shrinkMs: number;
}

export const USAGE = `npm run fuzz -- [options]
  --minutes N        how long to run (default 5); a fifth of it (8 to 300 s) goes to load shapes
  --seed S           first seed (default: from the clock, printed); batch k uses seed S+k,
                     so a failure's seed and path replay it exactly
  --runs N           generated requests per batch (default 200)
  --load-seconds N   seconds of load shapes (slow holders, floods, large bodies) with a probe;
                     0: documents only
  --rss-mb N         the gateway process's RSS bound under load (default ${QUICK_LOAD.rssBoundMb})
  --shrink-ms N      time to shrink one failure (default 20000)
  --help             this text
Prints cases run, invariants checked, each failure with seed, path and the shrunk request,
worst RSS and worst probe latency; exits 1 when an invariant failed.`;

export class FuzzUsage extends Error {}

export function parseFuzzOptions(argv: readonly string[]): FuzzOptions {
  const options: FuzzOptions = { minutes: 5, seed: Date.now() % 2 ** 31, runsPerBatch: 200, loadSeconds: Number.NaN, rssBoundMb: QUICK_LOAD.rssBoundMb, shrinkMs: 20_000 };
  const args = argv.flatMap((arg) => (/^--[\w-]+=/.test(arg) ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]));
  for (let index = 0; index < args.length; index += 1) {
    const name = args[index]!;
    if (name === '--help' || name === '-h') throw new FuzzUsage(USAGE);
    const value = args[index + 1];
    index += 1;
    const number = Number(value);
    const need = (ok: boolean, expected: string) => {
      if (!ok || value === undefined) throw new FuzzUsage(`${name} must be ${expected}, got ${JSON.stringify(value ?? null)}\n${USAGE}`);
    };
    switch (name) {
      case '--minutes':
        need(Number.isFinite(number) && number > 0 && number <= 24 * 60, 'minutes, more than 0 and at most 1440');
        options.minutes = number;
        break;
      case '--seed':
        need(Number.isInteger(number) && number >= 0 && number < 2 ** 31, 'an integer from 0 to 2^31-1');
        options.seed = number;
        break;
      case '--runs':
        need(Number.isInteger(number) && number >= 1 && number <= 100_000, 'an integer from 1 to 100000');
        options.runsPerBatch = number;
        break;
      case '--load-seconds':
        need(Number.isInteger(number) && number >= 0 && number <= 3600, 'seconds from 0 to 3600');
        options.loadSeconds = number;
        break;
      case '--rss-mb':
        need(Number.isInteger(number) && number >= 64, 'megabytes, at least 64');
        options.rssBoundMb = number;
        break;
      case '--shrink-ms':
        need(Number.isInteger(number) && number >= 0, 'milliseconds, 0 or more');
        options.shrinkMs = number;
        break;
      default:
        throw new FuzzUsage(`unknown argument ${name}\n${USAGE}`);
    }
  }
  if (Number.isNaN(options.loadSeconds)) options.loadSeconds = Math.round(Math.min(300, Math.max(8, (options.minutes * 60) / 5)));
  return options;
}

export function loadShapesFor(options: FuzzOptions): LoadShapeOptions {
  return { ...QUICK_LOAD, seconds: options.loadSeconds, rssBoundMb: options.rssBoundMb };
}
