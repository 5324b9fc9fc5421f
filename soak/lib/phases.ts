/**
 * The soak's timeline: a clean baseline, faults at each vendor alone, then at all three together,
 * one key flooding the gateway while another's cheap query is timed, the gateway restarted twice
 * mid-writes (SIGTERM, then SIGKILL, on the same data folder), an outage drill (each vendor refuses connections for a while, one after the other), one restart
 * of the whole sandbox (its tokens then invalid), and a clean recovery. Faults go through the
 * sandbox's own switches, as the control API sets them.
 */
import type { FaultRule, Sandbox, Vendor, VendorFaults } from '../../sandbox/index.js';
import type { SoakGateway } from './soak-gateway.js';
import type { SoakOptions } from './soak-options.js';

export interface Phase {
  name: string;
  durationS: number;
  /** Faults set for the whole phase (none: cleared). */
  faults: Partial<Record<Vendor, VendorFaults>>;
  /** Run at the phase's start, alongside the traffic (an outage, a restart). */
  drill?: (sandbox: Sandbox, gateway: SoakGateway) => Promise<void>;
  /** Whether the readiness probe is expected to fail during this phase. */
  outage?: Vendor | 'all';
  /** One API key floods the gateway with heavy reads while another key's cheap query is timed. */
  flood?: true;
}

const VENDORS: readonly Vendor[] = ['zuora', 'm3ter', 'revio'];
/** What follows each refusal inside its phase: /readyz's 5 s to recover, plus one. */
const RECOVERY_S = 6;
/** Longer than the gateway's attempt timeout (8 s), so a hang is a timeout, as a real one would be. */
const HANG_MS = 10_000;

/** The fault rules of one vendor in a fault phase. */
export function faultRules(options: SoakOptions): FaultRule[] {
  const half = options.timeoutRate / 2;
  return [
    { kind: 'server-error', rate: options.serverErrorRate, status: 503 },
    { kind: 'rate-limited', rate: options.rateLimitedRate, retryAfterS: 1 },
    // Half the timeouts hang before doing anything; on writes, the other half apply the write first.
    { kind: 'hang', rate: half, hangMs: HANG_MS },
    ...['POST', 'PUT', 'DELETE'].map((method): FaultRule => ({ kind: 'apply-then-hang', rate: half, hangMs: HANG_MS, match: { method } })),
  ];
}

export function soakPhases(options: SoakOptions): Phase[] {
  const faults = { rules: faultRules(options) };
  // Each refusal phase ends with the 5 s /readyz has to recover in, and a second to spare, before
  // the next drill: otherwise the next vendor's outage or the restart lands in this one's recovery.
  const drill = options.refusalS + RECOVERY_S;
  const rest = options.durationS - 3 * drill;
  if (rest < 20) throw new Error(`--duration=${options.durationS} leaves no time beside three ${options.refusalS} s refusals; raise it`);
  // Rounded down, so the phases never outgrow the duration; recovery takes what is left.
  const share = (fraction: number) => Math.max(3, Math.floor(rest * fraction));
  const phases: Phase[] = [
    { name: 'baseline', durationS: share(0.15), faults: {} },
    { name: 'one key floods', durationS: share(0.08), faults: {}, flood: true },
    ...VENDORS.map((vendor): Phase => ({ name: `${vendor} faults`, durationS: share(0.12), faults: { [vendor]: faults } })),
    { name: 'all faults', durationS: share(0.13), faults: { zuora: faults, m3ter: faults, revio: faults } },
    { name: 'gateway restarts', durationS: share(0.12), faults: {}, drill: restartTwice(share(0.12)) },
    ...VENDORS.map(
      (vendor): Phase => ({
        name: `${vendor} refuses`,
        durationS: drill,
        faults: {},
        outage: vendor,
        drill: (sandbox) => sandbox.refuseConnections(vendor, options.refusalS * 1000),
      }),
    ),
    { name: 'restart', durationS: share(0.05), faults: {}, drill: (sandbox) => sandbox.restart() },
  ];
  // Each phase has at least 3 s, which a short run cannot give them all: recovery keeps its 3 s
  // and the baseline gives up what is missing.
  const used = phases.reduce((sum, phase) => sum + phase.durationS, 0);
  const recovery = options.durationS - used;
  if (recovery < 3) phases[0]!.durationS -= 3 - recovery;
  if (phases[0]!.durationS < 3) throw new Error(`--duration=${options.durationS} is too short for every phase; raise it`);
  phases.push({ name: 'recovery', durationS: Math.max(3, recovery), faults: {} });
  return phases;
}

/** A third into the phase the gateway is stopped with SIGTERM, two thirds in killed with SIGKILL; each time started again at once. */
function restartTwice(durationS: number): NonNullable<Phase['drill']> {
  return async (_sandbox, gateway) => {
    const third = (durationS * 1000) / 3;
    await new Promise((resolve) => setTimeout(resolve, third));
    await gateway.restart('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, third));
    await gateway.restart('SIGKILL');
  };
}

export function applyFaults(sandbox: Sandbox, phase: Phase): void {
  for (const vendor of VENDORS) sandbox.setFaults(vendor, phase.faults[vendor] ?? {});
}
