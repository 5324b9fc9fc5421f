import { describe, expect, it } from 'vitest';
import { ByteBoundedLru } from '../../../src/lib/byte-bounded-lru.js';

describe('ByteBoundedLru', () => {
  it('evicts the least recently used until the bytes held fit the cap', () => {
    const cache = new ByteBoundedLru<string>({ maxBytes: 100 });
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C', 40);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
    expect(cache.bytes).toBe(80);
  });

  it('keeps no entry larger than the whole cap, and keeps the others', () => {
    const cache = new ByteBoundedLru<string>({ maxBytes: 100 });
    cache.set('a', 'A', 60);
    expect(cache.set('huge', 'H', 101)).toBe(false);
    expect([cache.get('a'), cache.get('huge'), cache.bytes]).toEqual(['A', undefined, 60]);
  });

  it('weighs an entry set again by its new size', () => {
    const cache = new ByteBoundedLru<string>({ maxBytes: 100 });
    cache.set('a', 'A', 10);
    cache.set('b', 'B', 10);
    cache.set('a', 'A2', 90);
    expect([cache.get('b'), cache.get('a'), cache.bytes, cache.size]).toEqual(['B', 'A2', 100, 2]);
    cache.set('a', 'A3', 95);
    expect([cache.get('b'), cache.bytes, cache.size]).toEqual([undefined, 95, 1]);
  });

  it('also bounds the number of entries when asked', () => {
    const cache = new ByteBoundedLru<number>({ maxBytes: 1000, maxEntries: 2 });
    for (let i = 0; i < 5; i++) cache.set(String(i), i, 1);
    expect([cache.size, cache.bytes, cache.get('4'), cache.get('2')]).toEqual([2, 2, 4, undefined]);
  });

  it('refuses a cap that is not a positive number, saying what it got', () => {
    expect(() => new ByteBoundedLru({ maxBytes: 0 })).toThrow('maxBytes must be a positive number, got 0');
    expect(() => new ByteBoundedLru({ maxBytes: 1, maxEntries: Number.NaN })).toThrow('maxEntries must be a positive number, got NaN');
  });
});
