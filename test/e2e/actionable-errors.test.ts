/**
 * Errors a caller can act on: how long to wait when a vendor limits us, the links one provider
 * still answered when the other failed, and which input a vendor's validation refused, in the
 * gateway's words (never the vendor's body).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const LEAKS = /127\.0\.0\.1|localhost|http:|Bearer|stack|at .*\.ts:/i;
/** A Salesforce account linked from an m3ter Account and from a Rev.io customer in the seed. */
const SHARED_EXTERNAL_ID = '0012D0000zJyOKcPK6';

describe('errors a caller can act on', () => {
  const gateway = withGateway({ resilience: { maxAttempts: 1 } });
  let entityId: string;
  beforeAll(async () => {
    // One attempt per call: a failing vendor fails at once.
    entityId = gateway.sandbox.tenants.zuora[0]!.entityIds[0]!;
    // Warm the Rev.io catalog and m3ter's system names, so faults below hit only the link calls.
    const warm = await gateway.execute(`{ resolveExternalId(system: "Salesforce", id: "${SHARED_EXTERNAL_ID}") { provider } }`);
    expect(warm.errors).toBeUndefined();
  });
  afterEach(() => gateway.sandbox.clearFaults());

  describe('UPSTREAM_RATE_LIMITED', () => {
    it('says how long to wait in extensions.upstream.retryAfterMs', async () => {
      gateway.sandbox.setFaults('revio', { rules: [{ kind: 'rate-limited', retryAfterS: 30, match: { path: 'IntegrationKeyLink' } }] });
      for (const result of [await gateway.execute('{ externalLinks(filter: { provider: REVIO }, first: 1) { nodes { id } } }'), (await gateway.post('{ externalLinks(filter: { provider: REVIO }, first: 1) { nodes { id } } }')).body]) {
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', upstream: { vendor: 'revio', retryable: true, retryAfterMs: 30_000 } });
      }
    });
  });

  describe('a field fed by m3ter and Rev.io, one of them failing', () => {
    it("Entity.externalLinks answers m3ter's links, with Rev.io's error at the field's path", async () => {
      gateway.sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: { path: 'IntegrationKeyLink' } }] });
      const query = `{ entity(id: "${entityId}") { name externalLinks { provider } } entities { totalCount } }`;
      for (const result of [await gateway.execute(query), (await gateway.post(query)).body]) {
        const links = result.data!.entity.externalLinks as { provider: string }[];
        expect(links.length).toBeGreaterThan(0);
        expect(new Set(links.map((link) => link.provider))).toEqual(new Set(['M3TER']));
        // Fields fed by other vendors are unaffected.
        expect(result.data!.entities.totalCount).toBeGreaterThan(0);
        expect(result.errors).toHaveLength(1);
        const error = result.errors![0]!;
        expect(error.path).toEqual(['entity', 'externalLinks']);
        expect(error.locations).toHaveLength(1);
        expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'revio', retryable: true } });
        expect(JSON.stringify(error)).not.toMatch(LEAKS);
      }
    });

    it("resolveExternalId answers Rev.io's links, with m3ter's error", async () => {
      gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 502, match: { path: 'externalmappings' } }] });
      const { status, body } = await gateway.post(`{ resolveExternalId(system: "Salesforce", id: "${SHARED_EXTERNAL_ID}") { provider } }`);
      expect(status).toBe(200);
      expect(body.data!.resolveExternalId).toEqual([{ provider: 'REVIO' }]);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({ path: ['resolveExternalId'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'm3ter' } } });
    });

    it("the unfiltered externalLinks page answers Rev.io's links, with m3ter's error", async () => {
      gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503, match: { path: 'externalmappings' } }] });
      const result = await gateway.execute('{ externalLinks(first: 3) { nodes { provider } pageInfo { hasNextPage } } }');
      const nodes = result.data!.externalLinks.nodes as { provider: string }[];
      expect(nodes).toEqual([{ provider: 'REVIO' }, { provider: 'REVIO' }, { provider: 'REVIO' }]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ path: ['externalLinks'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'm3ter' } } });
    });

    it("a filtered externalLinks page answers m3ter's links, with Rev.io's error", async () => {
      gateway.sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: { path: 'IntegrationKeyLink' } }] });
      const result = await gateway.execute(`{ externalLinks(filter: { externalSystem: "Salesforce", externalId: "${SHARED_EXTERNAL_ID}" }, first: 10) { nodes { provider } } }`);
      const nodes = result.data!.externalLinks.nodes as { provider: string }[];
      expect(nodes.length).toBeGreaterThan(0);
      expect(new Set(nodes.map((node) => node.provider))).toEqual(new Set(['M3TER']));
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ path: ['externalLinks'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'revio' } } });
    });

    it('is null, with the first provider\'s error alone, when both fail', async () => {
      gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503, match: { path: 'externalmappings' } }] });
      gateway.sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: { path: 'IntegrationKeyLink' } }] });
      const result = await gateway.execute(`{ resolveExternalId(system: "Salesforce", id: "${SHARED_EXTERNAL_ID}") { provider } }`);
      expect(result.data).toEqual({ resolveExternalId: null });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ path: ['resolveExternalId'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { vendor: 'm3ter' } } });
    });
  });

  describe("a vendor's validation answer", () => {
    it("names internalId when Rev.io has no such customer, without Rev.io's words", async () => {
      const mark = gateway.sandbox.ledger.mark;
      const result = await gateway.execute('mutation { createExternalLink(input: { provider: REVIO, internalType: "CUSTOMER", internalId: "987654", externalSystem: "salesforce", externalId: "0012D0000ACT0001" }) { externalLink { id } } }');
      expect(gateway.calls(mark, { vendor: 'revio', path: 'IntegrationKeyLink' })).toBeGreaterThan(0);
      expect(result.errors).toHaveLength(1);
      const error = result.errors![0]!;
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', invalidInputs: ['internalId'], upstream: { vendor: 'revio', retryable: false } });
      expect(error.message).toContain('internalId');
      expect(error.message).not.toMatch(/internal_id|CUSTOMER with id|987654/);
    });

    it('names internalType when m3ter refuses the m3ter entity', async () => {
      const result = await gateway.execute('mutation { createExternalLink(input: { provider: M3TER, internalType: "NoSuchEntity", internalId: "a1", externalSystem: "Salesforce", externalTable: "Account", externalId: "0012D0000ACT0002" }) { externalLink { id } } }');
      expect(result.errors).toHaveLength(1);
      const error = result.errors![0]!;
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', invalidInputs: ['internalType'], upstream: { vendor: 'm3ter' } });
      expect(error.message).toContain('internalType');
      expect(error.message).not.toMatch(/m3terEntity|configured entities|NoSuchEntity/);
    });
  });
});
