import { describe, expect, it } from 'vitest';
import { sprintfGo } from '../../src/go/sprintf.js';

describe('sprintfGo', () => {
  it.each([
    ['v-%s-%s', ['token', 'role'], 'v-token-role'],
    ['%d items', [42], '42 items'],
    ['%v|%v|%v', ['a', 7, true], 'a|7|true'],
    ['%q', ['a"b'], '"a\\"b"'],
    ['%x %X', ['hi', 255], '6869 FF'],
    ['%5s|%-5s|%.2s', ['ab', 'ab', 'abcdef'], '   ab|ab   |ab'],
    ['%05d|%+d|% d', [42, 42, 42], '00042|+42| 42'],
    ['100%%', [], '100%'],
    ['%t', [false], 'false'],
  ])('%s with %j → %s', (format, args, expected) => {
    expect(sprintfGo(format, args as (string | number | boolean)[])).toBe(expected);
  });

  it("writes Go's inline errors for missing, extra and mistyped arguments", () => {
    expect(sprintfGo('%s-%s', ['a'])).toBe('a-%!s(MISSING)');
    expect(sprintfGo('%s', ['a', 'b', 3])).toBe('a%!(EXTRA string=b, int=3)');
    expect(sprintfGo('%d', ['x'])).toBe('%!d(string=x)');
    expect(sprintfGo('%s', [5])).toBe('%!s(int=5)');
    expect(sprintfGo('%z', ['x'])).toBe('%!z(string=x)');
    expect(sprintfGo('end%', [])).toBe('end%!(NOVERB)');
  });
});
