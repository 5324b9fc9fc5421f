import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { expandedFieldCount } from '../../../src/execution/expanded-field-count.js';

function count(query: string, limit = 1_000_000): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return expandedFieldCount(document, operation, limit);
}

describe('expandedFieldCount', () => {
  it('counts nested fields, inline fragments and each spread of a fragment', () => {
    expect(count('{ a b { c d } }')).toBe(4);
    expect(count('{ a ... on Query { b } ...F ...F } fragment F on Query { c { d } }')).toBe(6);
  });

  it('counts a fragment fan-out as written out, in one walk of the text', () => {
    // F(k) = 1 + 2 F(k-1), F(0) = 1: 2^(k+1) - 1 fields.
    const fanOut = (levels: number) => `{ ...F${levels} } ${Array.from({ length: levels }, (_, k) => `fragment F${k + 1} on Query { a ...F${k} ...F${k} }`).join(' ')} fragment F0 on Query { a }`;
    expect(count(fanOut(9))).toBe(1023);
    // Sixty levels would be 2^61 fields: the count stops just past its limit.
    expect(count(fanOut(60), 250)).toBe(251);
  });

  it('reports an unknown or cyclic spread (refused by validation before execution) as over the limit', () => {
    expect(count('{ ...Missing }', 10)).toBe(11);
    expect(count('{ ...A } fragment A on Query { a ...B } fragment B on Query { ...A }', 10)).toBe(11);
  });
});
