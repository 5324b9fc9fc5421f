// A header's value is never echoed into an answer or a log line: a caller who pastes an API key
// into a tenant header by mistake must not find it in the error, the request log or the audit.
import { beforeEach, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const SECRET = 'ilk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0_pasted_by_mistake';
const TENANT_HEADERS = ['interlink-zuora-entity', 'interlink-m3ter-org', 'interlink-revio-client'];

const gateway = withGateway();
beforeEach(() => gateway.sandbox.reset());

describe('tenant headers: named in the refusal, their values never repeated', () => {
  for (const header of TENANT_HEADERS) {
    it(`refuses a key-shaped ${header} with FORBIDDEN, naming the header, with the value in neither the answer nor the logs`, async () => {
      const mark = gateway.sandbox.ledger.mark;
      const { status, body } = await gateway.post('{ entities { totalCount } }', { headers: { [header]: SECRET, 'x-request-id': `unechoed-${header}` } });
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.errors[0].message).toContain(header);
      expect(JSON.stringify(body)).not.toContain(SECRET);
      expect(JSON.stringify(gateway.logs())).not.toContain(SECRET);
      expect(gateway.calls(mark)).toBe(0);
    });
  }
});
