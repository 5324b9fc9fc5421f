/**
 * The document property: generated requests sent one at a time to the gateway, each judged by
 * `checkCase` from its answer and the ledger, then `/healthz`, and every few cases another key's
 * cheap probe. A batch runs every case (no stop at the first failure, so one hole does not hide
 * the next); each invariant a batch breaks is then replayed from its first failing case
 * (`seed` + `path`) and shrunk by fast-check to a small counterexample.
 */
import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { rawRequest } from '../../test/helpers/raw-request.js';
import { expectedOutcome } from './expected-outcome.js';
import { requestArbitrary, toRawRequest, type FuzzRequest } from './fuzz-request.js';
import type { FuzzWorld } from './fuzz-world.js';
import { checkCase, executed, INVARIANTS, isWrite, vendorCalls, type Violation } from './invariants.js';
import { loadSchema } from './schema-documents.js';

export const PROBE_QUERY = '{ entities(first: 1) { nodes { name } } }';
const PROBE_EVERY = 10;

export interface DocumentFailure {
  invariant: Violation['invariant'];
  /** The invariant, the dimensions the case bent and (for writes) the caller's scope: one per hole found, not per case. */
  signature: string;
  seed: number;
  /** fast-check's replay path of the shrunk counterexample. */
  path: string;
  message: string;
  /** The shrunk request, as sent. */
  counterexample: string;
}

export interface DocumentRunResult {
  cases: number;
  /** Invariant checks made (invariants × cases, plus liveness and probes). */
  checks: number;
  failures: DocumentFailure[];
  worstProbeMs: number;
  /** How deep the cases reached: executed, made a vendor call, made a vendor write. */
  reach: CaseReach;
}

export interface CaseReach {
  executed: number;
  vendorCalls: number;
  vendorWrites: number;
}

export interface DocumentRunOptions {
  seed: number;
  runs: number;
  /** Time allowed to shrink one failure. */
  shrinkMs?: number;
  /** Failure signatures already reported by an earlier batch: not shrunk again. */
  known?: Set<string>;
  log?: (line: string) => void;
}

/** Runs one request and judges it: the case's violations, and the stats it adds. */
export interface CaseStats {
  checks: number;
  cases: number;
  worstProbeMs: number;
  reach: CaseReach;
}

export async function runCase(world: FuzzWorld, request: FuzzRequest, stats: CaseStats): Promise<Violation[]> {
  const { gw } = world;
  const mark = gw.sandbox.ledger.mark;
  const answer = await rawRequest(gw.url, toRawRequest(request, world));
  const health = await rawRequest(gw.url, { method: 'GET', path: '/healthz' });
  const calls = vendorCalls(gw.sandbox.ledger.list({ sinceSeq: mark }));
  const violations = checkCase({ caller: world.callers[request.caller], expected: expectedOutcome(request, world), answer, calls, secrets: world.secrets });
  stats.cases += 1;
  stats.checks += INVARIANTS.length + 1;
  if (executed(answer)) stats.reach.executed += 1;
  if (calls.length > 0) stats.reach.vendorCalls += 1;
  if (calls.some(isWrite)) stats.reach.vendorWrites += 1;
  if (health.status !== 200) violations.push({ invariant: 'gateway-alive', message: `expected /healthz 200 after the case, got ${health.status}` });
  if (stats.cases % PROBE_EVERY === 0) {
    stats.checks += 1;
    const started = performance.now();
    const probe = await rawRequest(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${world.probeKey}` }, body: JSON.stringify({ query: PROBE_QUERY }) });
    stats.worstProbeMs = Math.max(stats.worstProbeMs, performance.now() - started);
    if (probe.status !== 200 || probe.body?.data?.entities == null) violations.push({ invariant: 'probe-answered', message: `expected another key's probe answered with data, got ${probe.status} ${probe.text.slice(0, 200)}` });
  }
  return violations;
}

export async function runDocumentBatch(world: FuzzWorld, options: DocumentRunOptions): Promise<DocumentRunResult> {
  const schema: GraphQLSchema = loadSchema();
  const arbitrary = requestArbitrary(world, schema);
  const stats: CaseStats = { checks: 0, cases: 0, worstProbeMs: 0, reach: { executed: 0, vendorCalls: 0, vendorWrites: 0 } };
  const firstFailingRun = new Map<string, { invariant: Violation['invariant']; run: number; message: string; request: FuzzRequest }>();
  let run = 0;
  await fc.check(
    fc.asyncProperty(arbitrary, async (request) => {
      const violations = await runCase(world, request, stats);
      for (const violation of violations) {
        const signature = failureSignature(violation, request, world);
        if (!firstFailingRun.has(signature)) firstFailingRun.set(signature, { invariant: violation.invariant, run, message: violation.message, request });
      }
      run += 1;
      return true;
    }),
    { seed: options.seed, numRuns: options.runs, endOnFailure: true },
  );

  const failures: DocumentFailure[] = [];
  for (const [signature, first] of firstFailingRun) {
    if (options.known?.has(signature)) continue;
    const { invariant } = first;
    options.log?.(`  ${signature} broken at run ${first.run}; shrinking`);
    let message = first.message;
    const shrunk = await fc.check(
      fc.asyncProperty(arbitrary, async (request) => {
        const found = (await runCase(world, request, stats)).find((violation) => violation.invariant === invariant);
        if (found) message = found.message;
        return found === undefined;
      }),
      { seed: options.seed, path: String(first.run), numRuns: 1, interruptAfterTimeLimit: options.shrinkMs ?? 15_000, markInterruptAsFailure: false },
    );
    // Shrinking through fc.gen() redraws, and now and then ends on a longer request than it
    // started from: the shorter of the two is reported, each with the path that replays it.
    const original = describeRequest(first.request, world);
    const smaller = shrunk.counterexample ? describeRequest(shrunk.counterexample[0], world) : undefined;
    const useShrunk = smaller !== undefined && shrunk.counterexamplePath !== null && smaller.length <= original.length;
    failures.push({
      invariant,
      signature,
      seed: options.seed,
      path: useShrunk ? shrunk.counterexamplePath! : String(first.run),
      message: useShrunk ? message : first.message,
      counterexample: useShrunk ? smaller : original,
    });
  }
  return { ...stats, failures };
}

/**
 * Cases breaking one invariant the same way count as one failure: the same invariant, the same
 * bent dimensions, and for writes whether the caller could write at all (a read-only key writing
 * is another hole than an admin writing for an unresolved operation).
 */
export function failureSignature(violation: Violation, request: FuzzRequest, world: FuzzWorld): string {
  const bent = [...request.hostile].sort().join('+') || 'plain';
  const scope = violation.invariant === 'write-needs-scope-grant-and-mutation' ? (world.callers[request.caller].scopes.includes('write') ? ', writer' : ', read-only caller') : '';
  return `${violation.invariant} [${bent}${scope}]`;
}

/** A request as a reader needs it to reproduce the failure by hand. */
export function describeRequest(request: FuzzRequest, world: FuzzWorld): string {
  const raw = toRawRequest(request, world);
  const clip = (text: string, max = 600) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
  const headers = Object.fromEntries(Object.entries(raw.headers ?? {}).map(([name, value]) => [name, name === 'authorization' ? `(${request.caller}: ${request.authorization})` : value]));
  return [
    `bent: ${request.hostile.join(', ') || 'nothing'}; caller ${request.caller}; transport ${request.transport}; persisted ${request.persisted}; operationName ${JSON.stringify(request.operationName)}; document shape ${request.document.shape}`,
    `${raw.method} ${clip(decodeURIComponent(raw.path ?? '/graphql'))}`,
    `headers ${JSON.stringify(headers)}`,
    ...(raw.body !== undefined ? [`body ${clip(raw.body)}`] : []),
  ].join('\n    ');
}
