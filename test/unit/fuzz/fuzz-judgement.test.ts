/**
 * The fuzz harness's own judgement, on hand-made evidence: the oracle resolves the operation by
 * the rules, and each invariant flags what it names and passes a clean case. Without
 * these, a harness that judged nothing would pass the quick run just as well.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../sandbox/core/ledger.js';
import { expectedOutcome } from '../../../fuzz/lib/expected-outcome.js';
import type { FuzzCaller } from '../../../fuzz/lib/fuzz-callers.js';
import type { FuzzRequest } from '../../../fuzz/lib/fuzz-request.js';
import type { FuzzWorld } from '../../../fuzz/lib/fuzz-world.js';
import { checkCase, type CaseEvidence } from '../../../fuzz/lib/invariants.js';
import type { RawAnswer } from '../../helpers/raw-request.js';

const ENTITY = 'd66b5d5b5199b2633bfc50a9e1f79213';
const grant = { zuora: [ENTITY], m3ter: ['org-1'], revio: ['acmetel'] };
const caller = (name: FuzzCaller['name'], scopes: FuzzCaller['scopes'], trustedDocumentsOnly = false): FuzzCaller => ({ name, token: `token-${name}`, scopes, grant, trustedDocumentsOnly });
const callers = { admin: caller('admin', ['read', 'write']), reader: caller('reader', ['read']), trusted: caller('trusted', ['read'], true) };
const world = {
  callers,
  manifest: [{ id: 'listed-1', body: 'query EntityCount { entities { totalCount } }', type: 'query', rootKeys: ['entities'] }],
} as unknown as FuzzWorld;

const mutation = { text: 'mutation Drop { deleteExternalLink(input: { id: "x" }) { deletedId } }', operations: [{ type: 'mutation' as const, name: 'Drop', rootKeys: ['deleteExternalLink'] }], variables: {}, shape: 'single' as const };
const request = (overrides: Partial<FuzzRequest>): FuzzRequest => ({
  hostile: [],
  caller: 'admin',
  document: mutation,
  operationName: { kind: 'absent' },
  persisted: 'none',
  manifestIndex: 0,
  transport: 'post',
  contentType: '',
  authorization: 'once',
  tenantHeaders: {},
  ...overrides,
});
const answer = (status: number, body: unknown): RawAnswer => ({ status, headers: {}, text: JSON.stringify(body), body });
const call = (method: string, tenant = 'd66b5d5b-5199-b263-3bfc-50a9e1f79213'): LedgerEntry => ({ seq: 1, vendor: 'zuora', method, path: '/v1/entity-connections', query: {}, tenant, status: 200, time: '', durationMs: 1, headers: {} });
const judge = (req: FuzzRequest, evidence: Pick<CaseEvidence, 'answer' | 'calls'>) =>
  checkCase({ caller: world.callers[req.caller], expected: expectedOutcome(req, world), secrets: ['127.0.0.1:4010'], ...evidence }).map((violation) => violation.invariant);

describe('expectedOutcome', () => {
  it('runs the only operation when no operationName is sent, and the named one when it names one', () => {
    expect(expectedOutcome(request({}), world)).toMatchObject({ kind: 'may-run', operation: { type: 'mutation' } });
    expect(expectedOutcome(request({ operationName: { kind: 'name', value: 'Drop' } }), world)).toMatchObject({ kind: 'may-run' });
  });

  it('refuses with 400 an operationName naming no operation, a GET with a body, and an operation in the URL and the body', () => {
    for (const bent of [request({ operationName: { kind: 'name', value: 'drop' } }), request({ transport: 'get-with-body' }), request({ transport: 'post-with-url-query' })]) {
      expect(expectedOutcome(bent, world)).toMatchObject({ kind: 'refuse', status400: true });
    }
  });

  it('lets a trusted-documents-only caller run a manifest id only', () => {
    expect(expectedOutcome(request({ caller: 'trusted' }), world)).toMatchObject({ kind: 'refuse' });
    expect(expectedOutcome(request({ caller: 'trusted', persisted: 'documentId' }), world)).toMatchObject({ kind: 'may-run', operation: { fromManifest: true, rootKeys: ['entities'] } });
  });
});

describe('checkCase', () => {
  const wrote = answer(200, { data: { deleteExternalLink: { deletedId: 'x' } } });

  it('passes an admin mutation that wrote to a granted tenant (hyphenated in the ledger, 32-hex in the grant)', () => {
    expect(judge(request({}), { answer: wrote, calls: [call('DELETE')] })).toEqual([]);
  });

  it('flags a write by a read-only caller, and by any caller when the operation could not be resolved', () => {
    expect(judge(request({ caller: 'reader' }), { answer: wrote, calls: [call('DELETE')] })).toContain('write-needs-scope-grant-and-mutation');
    expect(judge(request({ operationName: { kind: 'name', value: 'Nope' } }), { answer: wrote, calls: [call('DELETE')] })).toEqual(
      expect.arrayContaining(['write-needs-scope-grant-and-mutation', 'unresolvable-is-refused', 'runs-the-resolved-operation']),
    );
  });

  it('flags a write outside the grant', () => {
    expect(judge(request({}), { answer: wrote, calls: [call('POST', 'ffffffffffffffffffffffffffffffff')] })).toEqual(['write-needs-scope-grant-and-mutation']);
  });

  it('flags a refused answer that made a vendor call, a 5xx, an error without a code and a leaked vendor host', () => {
    const refused = answer(400, { errors: [{ message: 'no', extensions: { code: 'BAD_REQUEST' } }] });
    expect(judge(request({}), { answer: refused, calls: [call('GET')] })).toContain('refused-makes-no-vendor-call');
    expect(judge(request({}), { answer: answer(500, { errors: [{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }), calls: [] })).toEqual(['no-5xx']);
    expect(judge(request({}), { answer: { status: 431, headers: {}, text: '', body: undefined }, calls: [] })).toEqual(['errors-carry-codes']);
    expect(judge(request({}), { answer: answer(200, { data: { deleteExternalLink: null }, errors: [{ message: 'at 127.0.0.1:4010', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] }), calls: [] })).toEqual(['no-upstream-detail']);
  });

  it('flags a trusted-documents-only caller that ran text of its own', () => {
    expect(judge(request({ caller: 'trusted', transport: 'get-with-body' }), { answer: answer(200, { data: { deleteExternalLink: null } }), calls: [call('GET')] })).toEqual(
      expect.arrayContaining(['trusted-runs-only-the-manifest', 'unresolvable-is-refused']),
    );
  });
});
