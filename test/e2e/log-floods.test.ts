/**
 * A vendor answer of the wrong shape on every request writes one stack trace, not one per request
 * (it wrote 394 lines in 22 s); every request still gets its own request line with its code.
 */
import { describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

describe('log floods', () => {
  const gw = withGateway();

  it('50 requests that each meet a wrong-shaped vendor answer log its stack once', { timeout: 60_000 }, async () => {
    gw.sandbox.setFaults('zuora', { rules: [{ kind: 'foreign-answer', match: { path: '^/v1/entities$' }, answer: { status: 200, body: { success: true, data: [{ name: 'no id' }] } } }] });
    const before = gw.logs().length;
    for (let i = 0; i < 50; i++) {
      const answer = await gw.post('{ entities(first: 5) { nodes { entityId name } } }', { headers: { 'x-request-id': `flood-${i}` } });
      expect(answer.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    }
    const lines = gw.logs().slice(before);
    const withStack = lines.filter((line) => typeof line.err?.stack === 'string');
    expect(withStack.length).toBeGreaterThanOrEqual(1);
    expect(withStack.length).toBeLessThanOrEqual(3);
    // Each request is still on record, with the code its client saw.
    const requests = lines.filter((line) => line.msg === 'graphql request' && line.requestId?.startsWith('flood-'));
    expect(requests).toHaveLength(50);
    expect(requests.every((line) => line.errorCodes.includes('INTERNAL_SERVER_ERROR'))).toBe(true);
  });
});
