import { describe, expect, it } from 'vitest';
import { FaultPlan, parseVendorFaults } from '../../../sandbox/core/faults.js';
import { createRng } from '../../../sandbox/core/rng.js';

const facts = { method: 'GET', path: '/v1/entities', tenant: 't', now: 0 };

describe('fault kind foreign-answer', () => {
  it('answers the given status and body instead of the vendor, an HTML string as text/html', () => {
    const plan = new FaultPlan('zuora', createRng(1), null);
    plan.setFaults({ rules: [{ kind: 'foreign-answer', times: 1, answer: { status: 502, body: '<html>502 Bad Gateway</html>' } }] });
    expect(plan.decide(facts)).toEqual({
      action: 'respond',
      latencyMs: 0,
      fault: 'foreign-answer',
      response: { status: 502, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html>502 Bad Gateway</html>' },
    });
    expect(plan.decide(facts).action).toBe('serve');
  });

  it('sends a non-string body as JSON, with a content type only when given', () => {
    const plan = new FaultPlan('m3ter', createRng(1), null);
    plan.setFaults({ rules: [{ kind: 'foreign-answer', answer: { status: 200, body: { items: [] } } }] });
    expect(plan.decide(facts)).toMatchObject({ action: 'respond', response: { status: 200, body: { items: [] } } });
  });

  it('is checked by the control API: an answer needs a status and a body', () => {
    expect(parseVendorFaults({ rules: [{ kind: 'foreign-answer', answer: { status: 200, body: {} } }] })).toEqual({ rules: [{ kind: 'foreign-answer', answer: { status: 200, body: {} } }] });
    expect(parseVendorFaults({ rules: [{ kind: 'foreign-answer' }] })).toMatch(/answer must be/);
    expect(parseVendorFaults({ rules: [{ kind: 'foreign-answer', answer: { status: 99, body: 'x' } }] })).toMatch(/answer must be/);
    expect(parseVendorFaults({ rules: [{ kind: 'foreign-answer', answer: { status: 200, body: 'x', contentType: 7 } }] })).toMatch(/contentType/);
  });
});
