/**
 * INTERLINK_HEAP_GROWTH_PERCENT reaches V8: the same allocation, in a fresh process each, keeps a
 * smaller old generation when growth is capped than under V8's own heuristics.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const peakOldMB = (percent: number): number => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/heap-growth-probe.ts', String(percent)], { encoding: 'utf8' });
  return (JSON.parse(out) as { peakOldMB: number }).peakOldMB;
};

describe('heap growth', () => {
  it('caps how far the old generation grows past its live size', () => {
    const free = peakOldMB(0);
    const capped = peakOldMB(20);
    expect(capped).toBeLessThan(free * 0.8);
  });
});
