import { describe, expect, it } from 'vitest';
import { createSystemNames } from '../../../src/upstreams/m3ter/system-names.js';
import type { M3terMappingConfiguration } from '../../../src/upstreams/m3ter/m3ter-types.js';

function fakeConfiguration(names: string[][]) {
  const loads: (string | undefined)[] = [];
  let call = 0;
  const load = async (requestId: string | undefined): Promise<M3terMappingConfiguration> => {
    loads.push(requestId);
    const current = names[Math.min(call++, names.length - 1)]!;
    if (current[0] === 'FAIL') throw new Error('m3ter down');
    return { m3terEntities: ['Account'], externalSystems: current.map((name) => ({ name, tables: [], allowCustomExternalTables: true })) } as unknown as M3terMappingConfiguration;
  };
  return { load, loads };
}

describe('m3ter system names', () => {
  it('answers m3ter spelling for any case, loading the configuration once for many concurrent callers', async () => {
    const { load, loads } = fakeConfiguration([['Salesforce', 'Zuora']]);
    const names = createSystemNames({ load });
    const answers = await Promise.all(['SALESFORCE', 'zuora', 'Salesforce', 'sAlEsFoRcE'].map((name, i) => names.spelling(name, `r${i}`)));
    expect(answers).toEqual(['Salesforce', 'Zuora', 'Salesforce', 'Salesforce']);
    expect(await names.spelling('ZUORA', 'later')).toBe('Zuora');
    expect(loads).toEqual(['r0']);
  });

  it('reloads when older than maxAgeMs', async () => {
    let time = 0;
    const { load, loads } = fakeConfiguration([['Salesforce'], ['SalesForce']]);
    const names = createSystemNames({ load, maxAgeMs: 1000, now: () => time });
    expect(await names.spelling('salesforce')).toBe('Salesforce');
    time = 999;
    expect(await names.spelling('salesforce')).toBe('Salesforce');
    time = 1000;
    expect(await names.spelling('salesforce')).toBe('SalesForce');
    expect(loads).toHaveLength(2);
  });

  it('an unknown name is used as given, and refreshes the list at most once per missRefreshMs', async () => {
    let time = 0;
    const { load, loads } = fakeConfiguration([['Salesforce'], ['Salesforce', 'Stripe']]);
    const names = createSystemNames({ load, missRefreshMs: 100, now: () => time });
    expect(await names.spelling('STRIPE')).toBe('STRIPE');
    expect(await names.spelling('STRIPE')).toBe('STRIPE');
    expect(loads).toHaveLength(1);
    time = 100;
    expect(await names.spelling('STRIPE')).toBe('Stripe');
    expect(loads).toHaveLength(2);
  });

  it('does not keep a failed load', async () => {
    const { load, loads } = fakeConfiguration([['FAIL'], ['Zuora']]);
    const names = createSystemNames({ load });
    await expect(names.spelling('zuora')).rejects.toThrow('m3ter down');
    expect(await names.spelling('zuora')).toBe('Zuora');
    expect(loads).toHaveLength(2);
  });
});
