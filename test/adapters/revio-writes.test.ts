import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamNotFoundError, UpstreamRejectedError, UpstreamUnavailableError } from '../../src/errors.js';
import type { KeyLinkRecord, KeyLinkWrite } from '../../src/upstreams/revio/client.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { CUSTOMER, fixtureClient, SALESFORCE, testClient, upstreamFailure, ZUORA, type TestClient } from '../helpers/vendors/revio.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox();
let revio: TestClient;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  revio = testClient(sandbox, 0, {}, cleanups);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

// 9000–9004 are seeded customers with no links yet.
const NEW_LINK: KeyLinkWrite = { integration_system_id: SALESFORCE, integration_entity_type_id: CUSTOMER, internal_id: 9001, external_id: '0012D0000NewLinkAa' };
const POST_PATH = '^/v1/IntegrationKeyLink$';

/** Links in the sandbox equal to NEW_LINK, read straight from the search (not through recovery). */
async function copiesOfNewLink(): Promise<KeyLinkRecord[]> {
  return revio.client.searchKeyLinks({ search: NEW_LINK });
}

function callsSince(mark: number): string[] {
  return sandbox.ledger.list({ sinceSeq: mark }).map((e) => `${e.method} ${e.status}`);
}

describe('Rev.io client: create', () => {
  it('creates a link and takes the new id from the 201 body', async () => {
    const created = await revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK });
    expect(created.recovered).toBe(false);
    expect(created.id).toBe(fixtureClient(sandbox, 0).keyLinks.length + 1);
    const stored = await revio.client.getKeyLink({ id: created.id });
    expect(stored).toMatchObject({ integration_key_link_id: created.id, ...NEW_LINK });
    expect(stored?.created_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(sandbox.ledger.list({ method: 'POST' }).map((e) => e.status)).toEqual([201]);
  });

  it('sends a rejected create once and reports it as bad input', async () => {
    const mark = sandbox.ledger.mark;
    const error = await upstreamFailure(revio.client.createKeyLink({ before: ExistedBefore.of([]), link: { ...NEW_LINK, internal_id: 123_456 } }));
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', status: 400, retryable: false });
    expect(callsSince(mark)).toEqual(['POST 400']);
  });

  it('finds the link an unanswered POST made instead of posting again (apply-then-hang)', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'POST', path: POST_PATH }, times: 1, hangMs: 1500 }] });
    const mark = sandbox.ledger.mark;
    const created = await revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK });
    expect(created.recovered).toBe(true);
    // The POST was applied (201 recorded) but never answered; one search, no second POST.
    expect(callsSince(mark)).toEqual(['POST 201', 'GET 200']);
    const copies = await copiesOfNewLink();
    expect(copies.map((l) => l.integration_key_link_id)).toEqual([created.id]);
  });

  it('posts again when the search shows an unanswered POST made nothing (hang)', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'hang', match: { method: 'POST', path: POST_PATH }, times: 1, hangMs: 1500 }] });
    const mark = sandbox.ledger.mark;
    const created = await revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK });
    expect(created.recovered).toBe(false);
    expect(callsSince(mark)).toEqual(['POST 0', 'GET 200', 'POST 201']);
    expect((await copiesOfNewLink()).map((l) => l.integration_key_link_id)).toEqual([created.id]);
  });

  it('searches before posting again after a 503, never posting blindly', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: { method: 'POST' }, times: 1 }] });
    const mark = sandbox.ledger.mark;
    const created = await revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK });
    expect(callsSince(mark)).toEqual(['POST 503', 'GET 200', 'POST 201']);
    expect((await copiesOfNewLink()).map((l) => l.integration_key_link_id)).toEqual([created.id]);
  });

  it('finds a link after a dropped connection without a second POST', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'POST' }, times: 1, hangMs: 0 }] });
    const created = await revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK });
    expect(created.recovered).toBe(true);
    expect(sandbox.ledger.count({ method: 'POST' })).toBe(1);
    expect(await copiesOfNewLink()).toHaveLength(1);
  });

  it('posts again after a gateway 429 without searching: the request never reached Rev.io', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'rate-limited', retryAfterS: 1, match: { method: 'POST' }, times: 1 }] });
    const mark = sandbox.ledger.mark;
    await revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK });
    const entries = sandbox.ledger.list({ sinceSeq: mark });
    expect(entries.map((e) => `${e.method} ${e.status}`)).toEqual(['POST 429', 'POST 201']);
    expect(Date.parse((entries[1] as { time: string }).time) - Date.parse((entries[0] as { time: string }).time)).toBeGreaterThanOrEqual(1000);
  });

  it('gives up after three POSTs, each failed one checked by a search, and creates nothing', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 502, match: { method: 'POST' } }] });
    const mark = sandbox.ledger.mark;
    const error = await upstreamFailure(revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502, retryable: true, operation: 'createKeyLink' });
    expect(callsSince(mark)).toEqual(['POST 502', 'GET 200', 'POST 502', 'GET 200', 'POST 502', 'GET 200']);
    sandbox.clearFaults();
    expect(await copiesOfNewLink()).toEqual([]);
  });
});

describe('Rev.io client: create when the outcome cannot be settled', () => {
  it('does not post again when the search after an unanswered POST fails too', async () => {
    sandbox.setFaults('revio', {
      rules: [
        { kind: 'hang', match: { method: 'POST' }, times: 1, hangMs: 1500 },
        { kind: 'server-error', status: 503, match: { method: 'GET' } },
      ],
    });
    const mark = sandbox.ledger.mark;
    const error = await upstreamFailure(revio.client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK }));
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', operation: 'createKeyLink', retryable: true });
    expect(callsSince(mark)).toEqual(['POST 0', 'GET 503', 'GET 503', 'GET 503']);
  });
});

describe('Rev.io client: replace and delete', () => {
  const target = () => fixtureClient(sandbox, 0).keyLinks[0] as KeyLinkRecord;

  it('replaces a link in full, keeping its id and audit fields', async () => {
    const before = target();
    const replacement: KeyLinkWrite = { integration_system_id: ZUORA, integration_entity_type_id: CUSTOMER, internal_id: 9002, external_id: 'replaced-External' };
    await revio.client.replaceKeyLink({ id: before.integration_key_link_id, link: replacement });
    expect(await revio.client.getKeyLink({ id: before.integration_key_link_id })).toEqual({
      ...replacement,
      integration_key_link_id: before.integration_key_link_id,
      created_date: before.created_date,
      created_by: before.created_by,
    });
    expect(sandbox.ledger.list({ method: 'PUT' }).map((e) => e.path)).toEqual([`/v1/IntegrationKeyLink/${before.integration_key_link_id}`]);
  });

  it('retries a PUT after a 503', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: { method: 'PUT' }, times: 1 }] });
    await revio.client.replaceKeyLink({ id: target().integration_key_link_id, link: NEW_LINK });
    expect(sandbox.ledger.list({ method: 'PUT' }).map((e) => e.status)).toEqual([503, 200]);
    expect(await revio.client.getKeyLink({ id: target().integration_key_link_id })).toMatchObject(NEW_LINK);
  });

  it('answers a replace of an unknown link with NOT_FOUND', async () => {
    const error = await upstreamFailure(revio.client.replaceKeyLink({ id: 99_999, link: NEW_LINK }));
    expect(error).toBeInstanceOf(UpstreamNotFoundError);
    expect(error).toMatchObject({ status: 404, operation: 'replaceKeyLink', retryable: false });
  });

  it('deletes a link', async () => {
    await revio.client.deleteKeyLink({ id: target().integration_key_link_id });
    expect(await revio.client.getKeyLink({ id: target().integration_key_link_id })).toBeUndefined();
    expect(sandbox.ledger.list({ method: 'DELETE' }).map((e) => e.status)).toEqual([200]);
  });

  it('counts a retried DELETE that meets 404 as done', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'DELETE' }, times: 1, hangMs: 1500 }] });
    await revio.client.deleteKeyLink({ id: target().integration_key_link_id });
    expect(sandbox.ledger.list({ method: 'DELETE' }).map((e) => e.status)).toEqual([200, 404]);
    expect(await revio.client.getKeyLink({ id: target().integration_key_link_id })).toBeUndefined();
  });

  it('answers a first-attempt DELETE of an unknown link with NOT_FOUND', async () => {
    const error = await upstreamFailure(revio.client.deleteKeyLink({ id: 99_999 }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, attempts: 1, operation: 'deleteKeyLink' });
  });
});
