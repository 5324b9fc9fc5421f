import { describe, expect, it } from 'vitest';
import { parseJsonBounded } from '../../../src/http/parse-json-bounded.js';

const limits = { maxValues: 100, maxDepth: 4 };

describe('parseJsonBounded', () => {
  it('parses what is within the caps', () => {
    expect(parseJsonBounded('{"query":"{ a }","variables":{"x":[1,2,{"y":"z"}]}}', limits)).toEqual({ ok: true, value: { query: '{ a }', variables: { x: [1, 2, { y: 'z' }] } } });
  });

  it('refuses a body with more values than the cap before parsing it', () => {
    const body = JSON.stringify({ variables: { pad: Array.from({ length: 200 }, () => ({})) } });
    expect(parseJsonBounded(body, limits)).toEqual({ ok: false, reason: 'holds more than 100 JSON values' });
  });

  it('refuses nesting deeper than the cap', () => {
    expect(parseJsonBounded('{"a":[[[[1]]]]}', limits)).toEqual({ ok: false, reason: 'nests objects and arrays deeper than 4 levels' });
  });

  it('does not count brackets, commas or escaped quotes inside strings', () => {
    const text = JSON.stringify({ query: `${'[{,:'.repeat(500)} \\" ${'{'.repeat(50)}` });
    expect(parseJsonBounded(text, limits)).toMatchObject({ ok: true });
  });

  it('says when the text is not JSON', () => {
    expect(parseJsonBounded('{"query": ', limits)).toEqual({ ok: false, reason: 'is not valid JSON' });
  });
});
