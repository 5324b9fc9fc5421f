import { describe, expect, it } from 'vitest';
import { REGENERATE_HINT, staleVendorTypes } from '../../scripts/generate-vendor-types.js';

describe('generated vendor types', () => {
  it('match schema/vendors', async () => {
    const stale = await staleVendorTypes();
    expect(stale, `stale: ${stale.join(', ')}; ${REGENERATE_HINT}`).toEqual([]);
  }, 60_000);
});
