/**
 * `npm run soak` options. Defaults: 50 clients, 3 tenants, 300 s, 5% 5xx, 2%
 * timeouts (half of them applied-then-hung writes), 3% 429; `--quick` is the 75-second version
 * that `npm test` runs, with `--timing=report`.
 */
export interface SoakOptions {
  quick: boolean;
  clients: number;
  tenants: number;
  durationS: number;
  /** Shares of matching vendor requests, 0..1. */
  serverErrorRate: number;
  timeoutRate: number;
  rateLimitedRate: number;
  /** How long a vendor refuses connections in its outage drill. */
  refusalS: number;
  /** Each client's mean interval between operation starts (ms); 0: back to back. */
  paceMs: number;
  /** Where the results go (a JSON file and a Markdown table). */
  outDir: string;
  /**
   * `gate` (default): every check decides the exit code. `report`: latency and memory targets
   * are measured and reported but do not fail the run, for shared machines (npm test) where
   * they are noise; correctness, readiness and resource-leak checks still gate.
   */
  timing: 'gate' | 'report';
}

const USAGE = `npm run soak -- [options]
  --quick              75 s, 12 clients, shorter drills (what npm test runs)
  --clients=50         concurrent clients, spread over the tenants
  --tenants=3          companies, each with one API key granted only its own tenants
  --duration=300       seconds of traffic over all phases
  --5xx=0.05           share of vendor requests answered 5xx in fault phases
  --timeouts=0.02      share that hang (half of them applied, then hung, on writes)
  --429=0.03           share answered 429 with Retry-After
  --refusal=20         seconds each vendor refuses connections in its outage drill
  --pace=1000          ms between a client's operation starts (0.5 to 1.5 times it); 0: back to back
  --out=soak/results   where results.json and RESULTS.md go (quick runs: soak/results/quick)
  --timing=gate        gate: every check decides the exit code; report: latency and memory
                       targets are reported but do not fail the run (npm test uses this)`;

export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const quick = argv.includes('--quick');
  const options: SoakOptions = {
    quick,
    clients: quick ? 12 : 50,
    tenants: 3,
    durationS: quick ? 75 : 300,
    serverErrorRate: 0.05,
    timeoutRate: 0.02,
    rateLimitedRate: 0.03,
    refusalS: quick ? 6 : 20,
    paceMs: 1000,
    // A quick run (npm test) must not overwrite the committed results of a full one.
    outDir: quick ? 'soak/results/quick' : 'soak/results',
    timing: 'gate',
  };
  for (const arg of argv) {
    if (arg === '--quick') continue;
    if (arg === '--help' || arg === '-h') throw new SoakUsage(USAGE);
    const match = /^--([\w-]+|5xx|429)=(.+)$/.exec(arg);
    if (!match) throw new SoakUsage(`unknown argument ${arg}\n${USAGE}`);
    const [, name, value] = match as unknown as [string, string, string];
    const number = Number(value);
    const need = (ok: boolean, expected: string) => {
      if (!ok) throw new SoakUsage(`--${name} must be ${expected}, got ${JSON.stringify(value)}`);
    };
    switch (name) {
      case 'clients':
        need(Number.isInteger(number) && number >= 1 && number <= 500, 'an integer from 1 to 500');
        options.clients = number;
        break;
      case 'tenants':
        need(Number.isInteger(number) && number >= 1 && number <= 3, 'an integer from 1 to 3 (the seed has three companies)');
        options.tenants = number;
        break;
      case 'duration':
        need(Number.isInteger(number) && number >= 30 && number <= 3600, 'seconds from 30 to 3600');
        options.durationS = number;
        break;
      case '5xx':
        need(number >= 0 && number <= 0.5, 'a share from 0 to 0.5');
        options.serverErrorRate = number;
        break;
      case 'timeouts':
        need(number >= 0 && number <= 0.2, 'a share from 0 to 0.2');
        options.timeoutRate = number;
        break;
      case '429':
        need(number >= 0 && number <= 0.5, 'a share from 0 to 0.5');
        options.rateLimitedRate = number;
        break;
      case 'refusal':
        need(Number.isInteger(number) && number >= 1 && number <= 120, 'seconds from 1 to 120');
        options.refusalS = number;
        break;
      case 'pace':
        need(Number.isInteger(number) && number >= 0 && number <= 60_000, 'milliseconds from 0 to 60000');
        options.paceMs = number;
        break;
      case 'out':
        options.outDir = value;
        break;
      case 'timing':
        need(value === 'gate' || value === 'report', 'gate or report');
        options.timing = value as SoakOptions['timing'];
        break;
      default:
        throw new SoakUsage(`unknown option --${name}\n${USAGE}`);
    }
  }
  options.clients = Math.max(options.clients, options.tenants);
  return options;
}

export class SoakUsage extends Error {}
