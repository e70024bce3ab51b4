import { describe, expect, it } from 'vitest';
import { matchGlob } from '../../src/auth/acl-parameters.js';

describe('parameter value globs (strutil.GlobbedStringsMatch)', () => {
  it.each([
    ['foo-*', 'foo-bar', true],
    ['foo-*', 'bar-foo', false],
    ['*-suffix', 'my-suffix', true],
    ['*mid*', 'a-mid-b', true],
    ['*mid*', 'a-mad-b', false],
    ['*', '*', true], // a lone star is not a glob
    ['*', 'anything', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['a*b', 'a*b', true], // a star inside is literal
    ['a*b', 'axb', false],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(matchGlob(pattern, value)).toBe(expected);
  });
});
