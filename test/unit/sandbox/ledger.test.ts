import { describe, expect, it } from 'vitest';
import { Ledger, type LedgerEntry } from '../../../sandbox/core/ledger.js';

const entry = (over: Partial<LedgerEntry> = {}): Omit<LedgerEntry, 'seq'> => ({
  vendor: 'zuora',
  method: 'GET',
  path: '/v1/entities',
  query: {},
  tenant: 'a',
  status: 200,
  time: new Date(0).toISOString(),
  durationMs: 1,
  headers: {},
  ...over,
});

describe('Ledger', () => {
  it('filters by vendor, method, tenant, status, path and sequence', () => {
    const ledger = new Ledger();
    ledger.record(entry());
    const mark = ledger.mark;
    ledger.record(entry({ vendor: 'm3ter', path: '/organizations/x/externalmappings', tenant: 'x' }));
    ledger.record(entry({ method: 'POST', status: 409 }));
    expect(ledger.count()).toBe(3);
    expect(ledger.count({ vendor: 'm3ter' })).toBe(1);
    expect(ledger.count({ method: 'post' })).toBe(1);
    expect(ledger.count({ status: 409 })).toBe(1);
    expect(ledger.count({ path: 'EXTERNALMAPPINGS' })).toBe(1);
    expect(ledger.count({ path: /^\/v1\// })).toBe(2);
    expect(ledger.count({ sinceSeq: mark })).toBe(2);
    expect(ledger.count({ tenant: 'a' })).toBe(2);
  });

  it('keeps a bounded window but counts every request', () => {
    const ledger = new Ledger(10);
    for (let i = 0; i < 25; i++) ledger.record(entry());
    expect(ledger.list()).toHaveLength(10);
    expect(ledger.total).toBe(25);
    expect(ledger.list()[0]?.seq).toBe(16);
    ledger.reset();
    expect(ledger.total).toBe(0);
  });

  it('records tenancy and tracing headers, never credentials', () => {
    const recorded = Ledger.recordedHeaders({
      authorization: 'Bearer secret',
      'ocp-apim-subscription-key': 'k',
      'zuora-entity-ids': 'e',
      'zuora-track-id': 't',
    });
    expect(recorded).toEqual({ 'zuora-entity-ids': 'e', 'zuora-track-id': 't' });
  });
});
