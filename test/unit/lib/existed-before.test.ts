import { describe, expect, it } from 'vitest';
import { ExistedBefore } from '../../../src/lib/existed-before.js';

describe('ExistedBefore: a create adopts only what was absent before its first attempt', () => {
  it('adopts the newest found id that was not there before, never one that was', () => {
    const before = ExistedBefore.of(['12', '10']);
    expect(before.adopt(['12', '10'])).toBeUndefined();
    expect(before.adopt(['15', '12', '11', '10'])).toBe('15');
    expect(before.adopt(['12', '11'])).toBe('11');
    expect(before.adopt([])).toBeUndefined();
  });

  it('adopts anything found when nothing was there, and nothing when no reading survives', () => {
    expect(ExistedBefore.of([]).adopt(['3'])).toBe('3');
    const unproven = ExistedBefore.unproven();
    expect(unproven.adopt(['3', '2'])).toBeUndefined();
    expect(unproven.had('anything')).toBe(true);
    expect(unproven.ids).toBeUndefined();
    expect(ExistedBefore.of(['a', 'a']).ids).toEqual(['a']);
  });
});
