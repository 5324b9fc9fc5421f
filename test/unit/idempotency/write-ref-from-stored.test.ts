import { describe, expect, it } from 'vitest';
import type { WriteRef } from '../../../src/idempotency/idempotency-store.js';
import { writeRefFromStored } from '../../../src/idempotency/write-ref-from-stored.js';

describe('writeRefFromStored: records written before and after link refs became generic', () => {
  it('reads the previous m3ter shape (orgId, mappingId) as a generic link ref', () => {
    expect(writeRefFromStored({ vendor: 'm3ter', orgId: 'org-1', mappingId: 'abc' })).toEqual({ vendor: 'm3ter', tenant: 'org-1', linkId: 'abc' });
  });

  it('reads the previous Rev.io shape (clientCode, keyLinkId) as a generic link ref, keeping deleted', () => {
    expect(writeRefFromStored({ vendor: 'revio', clientCode: 'acmetel', keyLinkId: '34', deleted: true })).toEqual({ vendor: 'revio', tenant: 'acmetel', linkId: '34', deleted: true });
    expect(writeRefFromStored({ vendor: 'revio', clientCode: 'acmetel', keyLinkId: '34' })).not.toHaveProperty('deleted');
  });

  it('passes this version\'s link refs and Zuora refs through unchanged', () => {
    const refs: WriteRef[] = [
      { vendor: 'm3ter', tenant: 'org-1', linkId: 'abc' },
      { vendor: 'revio', tenant: 'acmetel', linkId: '34', deleted: true },
      { vendor: 'zuora', connectionId: 'c-1', listedBy: 'e-1', viewpointEntityId: null },
    ];
    for (const ref of refs) expect(writeRefFromStored(ref)).toEqual(ref);
  });
});
