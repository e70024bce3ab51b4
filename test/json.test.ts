import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, maxJsonDepth, parseJsonObject } from '../src/json.js';

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('exceedsJsonDepth', () => {
  it('measures the nesting of objects and arrays, as text or bytes', () => {
    expect(maxJsonDepth).toBe(1000);
    expect(exceedsJsonDepth(nested(1000))).toBe(false);
    expect(exceedsJsonDepth(nested(1001))).toBe(true);
    expect(exceedsJsonDepth(Buffer.from(nested(1001)))).toBe(true);
    expect(exceedsJsonDepth(`{"a":${nested(999)}}`)).toBe(false);
    expect(exceedsJsonDepth(`{"a":${nested(1000)}}`)).toBe(true);
    expect(exceedsJsonDepth('{"a":{"b":[1,{"c":2}]}}', 4)).toBe(false);
    expect(exceedsJsonDepth('{"a":{"b":[1,{"c":2}]}}', 3)).toBe(true);
  });

  it('counts only brackets outside strings, escapes included', () => {
    const brackets = '['.repeat(2000);
    expect(exceedsJsonDepth(`{"a":"${brackets}"}`)).toBe(false);
    expect(exceedsJsonDepth(`{"a":"\\"${brackets}"}`)).toBe(false);
    expect(exceedsJsonDepth(`{"a\\\\":${nested(1000)}}`)).toBe(true);
    // Sibling values do not add up: depth is nesting, not count.
    expect(exceedsJsonDepth(`[${Array(3000).fill('[]').join(',')}]`)).toBe(false);
    expect(exceedsJsonDepth(Buffer.from(`{"é":"${brackets}","x":[1]}`))).toBe(false);
  });
});

describe('parseJsonObject', () => {
  it('reads responses wrapping a value of the deepest accepted request, and no deeper', () => {
    const response = (depth: number): string => `{"data":{"data":{"a":${nested(depth)}}}}`;
    expect(parseJsonObject(response(1001))).toBeDefined();
    expect(parseJsonObject(response(1002))).toBeUndefined();
  });
});
