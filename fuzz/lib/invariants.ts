/**
 * The invariants one answered request is held to, judged from the answer and from the sandbox
 * ledger of the vendor calls made while it ran (cases run one at a time, so every call is the
 * case's own). Each returns the violations it found, worded as what was expected and what
 * arrived; an empty list is a pass.
 */
import type { LedgerEntry } from '../../sandbox/core/ledger.js';
import type { RawAnswer } from '../../test/helpers/raw-request.js';
import type { FuzzCaller } from './fuzz-callers.js';
import type { ExpectedOutcome } from './expected-outcome.js';

export const INVARIANTS = [
  'no-5xx',
  'errors-carry-codes',
  'refused-makes-no-vendor-call',
  'unresolvable-is-refused',
  'write-needs-scope-grant-and-mutation',
  'runs-the-resolved-operation',
  'trusted-runs-only-the-manifest',
  'no-upstream-detail',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

export interface Violation {
  /** Per-case invariants, and the process-level ones the runs check around them. */
  invariant: InvariantName | 'gateway-alive' | 'probe-answered' | 'rss-bound';
  message: string;
}

export interface CaseEvidence {
  caller: FuzzCaller;
  expected: ExpectedOutcome;
  answer: RawAnswer;
  /** Vendor calls made during the case, token calls excluded. */
  calls: LedgerEntry[];
  /** Hosts the answer must never name (the vendors'). */
  secrets: string[];
}

const TOKEN_PATH = /oauth\/token/i;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function vendorCalls(entries: LedgerEntry[]): LedgerEntry[] {
  return entries.filter((entry) => !TOKEN_PATH.test(entry.path));
}

export function isWrite(entry: LedgerEntry): boolean {
  return !READ_METHODS.has(entry.method.toUpperCase());
}

/** The request reached execution: an answer with a `data` entry (even null) and a status under 400. */
export function executed(answer: RawAnswer): boolean {
  return answer.status < 400 && answer.body !== undefined && typeof answer.body === 'object' && answer.body !== null && 'data' in answer.body;
}

const describeCall = (entry: LedgerEntry) => `${entry.method} ${entry.vendor} ${entry.path} (tenant ${entry.tenant ?? 'none'})`;

export function checkCase(evidence: CaseEvidence): Violation[] {
  const { caller, expected, answer, calls, secrets } = evidence;
  const violations: Violation[] = [];
  const fail = (invariant: InvariantName, message: string) => violations.push({ invariant, message });
  const ran = executed(answer);

  if (answer.status >= 500) fail('no-5xx', `expected a status under 500 for client input, got ${answer.status}: ${answer.text.slice(0, 200)}`);

  const errors: unknown = answer.body?.errors;
  if (answer.status >= 400 || errors !== undefined) {
    const coded = Array.isArray(errors) && errors.length > 0 && errors.every((error) => typeof error?.extensions?.code === 'string');
    if (!coded) fail('errors-carry-codes', `expected JSON errors[] each with extensions.code (status ${answer.status}), got ${answer.text.slice(0, 200)}`);
  }

  if (!ran && calls.length > 0) fail('refused-makes-no-vendor-call', `expected 0 vendor calls for a refused request (status ${answer.status}, ${codesOf(answer)}), got ${calls.length}: ${calls.slice(0, 3).map(describeCall).join('; ')}`);

  if (expected.kind === 'refuse') {
    if (ran || calls.length > 0) fail('unresolvable-is-refused', `expected a refusal (${expected.why}) with 0 vendor calls, got status ${answer.status}, ${ran ? 'executed' : 'not executed'}, ${calls.length} vendor calls, ${codesOf(answer)}`);
    else if (expected.status400 && answer.status !== 400) fail('unresolvable-is-refused', `expected 400 (${expected.why}), got ${answer.status} with ${codesOf(answer)}`);
  }

  const operation = expected.kind === 'may-run' ? expected.operation : undefined;
  for (const write of calls.filter(isWrite)) {
    const why =
      !caller.scopes.includes('write') ? `caller "${caller.name}" has no write scope`
      : operation?.type !== 'mutation' ? `the resolved operation is ${operation ? 'a query' : 'none (the request must be refused)'}`
      : !grantCovers(caller, write) ? `caller "${caller.name}"'s grant does not cover tenant ${write.tenant ?? 'none'}`
      : undefined;
    if (why) fail('write-needs-scope-grant-and-mutation', `expected no vendor write because ${why}, got ${describeCall(write)}`);
  }

  const data: unknown = answer.body?.data;
  if (ran && data !== null && typeof data === 'object') {
    const keys = Object.keys(data as object);
    const allowed = new Set(operation?.rootKeys ?? []);
    const foreign = keys.filter((key) => !allowed.has(key));
    if (foreign.length > 0) fail('runs-the-resolved-operation', `expected data for the resolved operation (${operation ? `keys ${[...allowed].join(', ') || 'none'}` : 'none: refusal'}), got keys ${keys.join(', ')}`);
  }
  if (caller.trustedDocumentsOnly && (ran || calls.length > 0) && operation?.fromManifest !== true) {
    fail('trusted-runs-only-the-manifest', `expected a trusted-documents-only caller to run nothing outside the manifest, got status ${answer.status}, ${calls.length} vendor calls, ${codesOf(answer)}`);
  }

  const leaked = secrets.find((secret) => answer.text.includes(secret)) ?? (/\n\s+at [\w.<>]+ \(|node_modules\//.test(answer.text) ? 'a stack trace' : undefined);
  if (leaked) fail('no-upstream-detail', `expected no vendor host or stack in the answer, got ${leaked}`);
  return violations;
}

/** Zuora's ledger names an entity hyphenated (its header form); grants list it as 32 hex digits. */
const canonicalTenant = (tenant: string) => tenant.replaceAll('-', '').toLowerCase();

function grantCovers(caller: FuzzCaller, write: LedgerEntry): boolean {
  if (write.tenant === undefined) return false;
  const tenant = canonicalTenant(write.tenant);
  return caller.grant[write.vendor].some((granted) => canonicalTenant(granted) === tenant);
}

function codesOf(answer: RawAnswer): string {
  const errors: unknown = answer.body?.errors;
  const codes = Array.isArray(errors) ? errors.map((error) => String(error?.extensions?.code)) : [];
  return codes.length ? `codes ${[...new Set(codes)].join(', ')}` : 'no error code';
}
