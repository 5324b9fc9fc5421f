/**
 * Trusted documents: Apollo's automatic persisted queries for every caller, and a manifest of
 * operations that keys marked `trustedDocumentsOnly` are limited to, by id, without the gateway
 * ever parsing what else they send.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrustedDocuments } from '../../src/persisted-documents/trusted-documents.js';
import { ADMIN_KEY, withGateway } from '../helpers/gateway.js';

const FRONTEND_KEY = 'ilk_test_frontend_trusted_documents_only_01';
const COUNT = 'query EntityCount { entities { totalCount } }';
const NAMES = 'query EntityNames { entities { nodes { name } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'interlink-manifest-'));
const manifestFile = join(dir, 'persisted-query-manifest.json');
writeFileSync(
  manifestFile,
  JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256(COUNT), name: 'EntityCount', type: 'query', body: COUNT }] }),
);

describe('trusted documents', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const gw = withGateway({
    env: { INTERLINK_TRUSTED_DOCUMENTS_FILE: manifestFile },
    keys: {
      admin: { key: ADMIN_KEY, scopes: ['read', 'write'] },
      frontend: { key: FRONTEND_KEY, scopes: ['read'], trustedDocumentsOnly: true },
    },
  });

  /** POST /graphql with any body (`post` always sends `query`). */
  const send = async (body: Record<string, unknown>, key: string) => {
    const response = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const byHash = (hash: string, extra: Record<string, unknown> = {}) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, ...extra });

  describe('automatic persisted queries (any caller not limited to trusted documents)', () => {
    it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, registers it with the query, then runs it by hash', async () => {
      const first = await send(byHash(sha256(NAMES)), ADMIN_KEY);
      expect(first.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const registered = await send(byHash(sha256(NAMES), { query: NAMES }), ADMIN_KEY);
      expect(registered.body.errors).toBeUndefined();
      const mark = gw.sandbox.ledger.mark;
      const again = await send(byHash(sha256(NAMES)), ADMIN_KEY);
      expect(again.status).toBe(200);
      expect(again.body.data).toEqual(registered.body.data);
      expect(gw.calls(mark)).toBeGreaterThan(0);
    });

    it('refuses a hash that does not match the query sent with it', async () => {
      const response = await send(byHash(sha256(COUNT), { query: NAMES }), ADMIN_KEY);
      expect(response.status).toBe(400);
    });

    it('runs a manifest operation by id for any caller', async () => {
      const response = await send(byHash(sha256(COUNT)), ADMIN_KEY);
      expect(response.body.data.entities.totalCount).toBeGreaterThan(0);
    });
  });

  describe('a key limited to trusted documents', () => {
    it('runs a manifest operation by its id (extensions.persistedQuery)', async () => {
      const response = await send(byHash(sha256(COUNT)), FRONTEND_KEY);
      expect(response.status).toBe(200);
      expect(response.body.data.entities.totalCount).toBeGreaterThan(0);
    });

    it('runs a manifest operation by documentId (the GraphQL-over-HTTP form)', async () => {
      const response = await send({ documentId: sha256(COUNT) }, FRONTEND_KEY);
      expect(response.status).toBe(200);
      expect(response.body.data.entities.totalCount).toBeGreaterThan(0);
    });

    const refusals: [string, Record<string, unknown>][] = [
      ['a document sent as text, even one the manifest lists', { query: COUNT }],
      ['an id the manifest does not list', byHash(sha256(NAMES))],
      ['an id registered through APQ by another caller', byHash(sha256(NAMES), { query: NAMES })],
      ['text that is not even GraphQL (never parsed: no GRAPHQL_PARSE_FAILED)', { query: '{{{ not graphql' }],
    ];
    for (const [what, body] of refusals) {
      it(`is refused ${what}: 403 OPERATION_NOT_ALLOWLISTED, no vendor call`, async () => {
        const mark = gw.sandbox.ledger.mark;
        const response = await send(body, FRONTEND_KEY);
        expect(response.status).toBe(403);
        expect(response.body.errors).toHaveLength(1);
        expect(response.body.errors[0].extensions.code).toBe('OPERATION_NOT_ALLOWLISTED');
        expect(response.body.data).toBeUndefined();
        expect(gw.calls(mark, { withTokens: true })).toBe(0);
      });
    }

    it('leaves a security line naming no operation for a refusal', async () => {
      await send({ query: '{ entities { totalCount } }' }, FRONTEND_KEY);
      const line = gw.logs().findLast((entry) => entry.log === 'security');
      expect(line).toMatchObject({ keyId: 'frontend', code: 'OPERATION_NOT_ALLOWLISTED', operation: null });
    });
  });
});

describe('the trusted documents manifest', () => {
  const read = (text: string) => loadTrustedDocuments('/manifest.json', () => text);

  it("reads The Guild's { id: document } form", () => {
    const documents = read(JSON.stringify({ abc: COUNT, def: NAMES }));
    expect(documents.size).toBe(2);
    expect(documents.get('def')).toBe(NAMES);
    expect(documents.get('nope')).toBeUndefined();
  });

  it('refuses to start on a manifest that is not JSON, not a known form, or lists a broken document', () => {
    expect(() => read('not json')).toThrow(/INTERLINK_TRUSTED_DOCUMENTS_FILE .* must be a readable JSON file/);
    expect(() => read('[]')).toThrow(/must hold an object/);
    expect(() => read(JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }))).toThrow(/version 1/);
    expect(() => read(JSON.stringify({ abc: '{ entities {' }))).toThrow(/"abc", which is not a valid GraphQL document/);
  });
});
