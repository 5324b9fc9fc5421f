import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../../src/lib/byte-lru.js';

describe('ByteLru', () => {
  it('evicts the least recently used until what it holds fits its bytes', () => {
    const cache = new ByteLru<string, string>(10);
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    expect(cache.get('a')).toBe('A'); // a is now the most recently used
    cache.set('c', 'C', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
    expect([cache.bytes, cache.size, cache.evictions]).toEqual([8, 2, 1]);
  });

  it('keeps nothing larger than its whole budget, and replaces an entry without counting it twice', () => {
    const cache = new ByteLru<string, string>(10);
    cache.set('big', 'x', 11);
    expect(cache.get('big')).toBeUndefined();
    cache.set('a', '1', 6);
    cache.set('a', '2', 7);
    expect([cache.get('a'), cache.bytes]).toEqual(['2', 7]);
  });
});
