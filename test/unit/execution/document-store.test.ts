import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DocumentStore, documentBytes } from '../../../src/execution/document-store.js';

describe('DocumentStore', () => {
  it('weighs a document by its source text as well as its tree', () => {
    const bare = parse('{ a }');
    const commented = parse(`# ${'x'.repeat(100_000)}\n{ a }`);
    // The tree's JSON differs only by its larger offsets (`loc`).
    expect(documentBytes(commented) - documentBytes(bare)).toBeGreaterThanOrEqual(100_003);
    expect(documentBytes(commented) - documentBytes(bare)).toBeLessThan(100_003 + 500);
    expect(documentBytes(bare)).toBeGreaterThan(5 * JSON.stringify(bare).length);
  });

  it('keeps documents of long comments under its byte cap, dropping the least recently used', async () => {
    const store = new DocumentStore(1024 * 1024);
    const document = (i: number) => parse(`# ${String(i).padStart(2, '0')} ${'x'.repeat(100 * 1024)}\n{ a }`);
    for (let i = 0; i < 30; i++) await store.set(`doc${i}`, document(i));
    expect(store.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(store.size).toBe(Math.floor((1024 * 1024) / documentBytes(document(0))));
    expect(await store.get('doc0')).toBeUndefined();
    expect((await store.get('doc29'))?.kind).toBe('Document');
    expect(await store.delete('doc29')).toBe(true);
    expect(store.size).toBe(Math.floor((1024 * 1024) / documentBytes(document(0))) - 1);
  });
});
