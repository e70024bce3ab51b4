import { describe, expect, it } from 'vitest';
import { findJsonValueEnd } from '../../src/cli/json-extent.js';

describe('findJsonValueEnd', () => {
  it.each([
    ['{}', 2],
    ['  {"a": [1, -2.5e+3, true, false, null, "x\\"\\u00e9"]}  rest', 53],
    ['"s"', 3],
    ['0', 1],
    ['[]', 2],
    ['{"a":{"b":{}}}x', 14],
  ])('%j ends at %d', (text, end) => {
    expect(findJsonValueEnd(text)).toEqual({ end });
    expect(() => JSON.parse(text.slice(0, end))).not.toThrow();
  });

  it.each([
    ['', 0, 1, 1, 'unexpected end of input'],
    ['{', 1, 1, 2, 'unexpected end of input'],
    ['{"a" 1}', 5, 1, 6, 'unexpected character'],
    ['{"a": tru}', 9, 1, 10, 'unexpected character'],
    ['[1,]', 3, 1, 4, 'unexpected character'],
    ['[01]', 2, 1, 3, 'unexpected character'],
    ['{"a": "\\x"}', 8, 1, 9, 'unexpected character'],
    ['{\n"a": -}', 8, 2, 7, 'unexpected character'],
    ['"tab\there"', 4, 1, 5, 'unexpected character'],
  ])('%j fails at offset %d (line %d, column %d)', (text, offset, line, column, reason) => {
    expect(findJsonValueEnd(text)).toEqual({ problem: { offset, line, column, reason } });
  });
});
