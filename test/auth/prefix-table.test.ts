import { describe, expect, it } from 'vitest';
import { buildPrefixTable, findLongestPrefix } from '../../src/auth/prefix-table.js';

describe('the prefix table', () => {
  const table = buildPrefixTable<string>([
    ['', 'everything'],
    ['secret/', 'secret'],
    ['secret/data/', 'data'],
    ['secret/data/app', 'app'],
    // "Aa" and "BB" have the same running hash: the bucket holds both, startsWith tells them apart.
    ['team/Aa/', 'Aa'],
    ['team/BB/', 'BB'],
  ]);

  it('finds the longest key that is a prefix of the path', () => {
    expect(findLongestPrefix(table, 'secret/data/apple')?.[1]).toBe('app');
    expect(findLongestPrefix(table, 'secret/data/')?.[1]).toBe('data');
    expect(findLongestPrefix(table, 'secret/dat')?.[1]).toBe('secret');
    expect(findLongestPrefix(table, 'other')?.[1]).toBe('everything');
    expect(findLongestPrefix(table, 'team/BB/x')?.[1]).toBe('BB');
    expect(findLongestPrefix(table, 'team/Aa/x')?.[1]).toBe('Aa');
    expect(findLongestPrefix(buildPrefixTable<string>([['a/', 'a']]), 'b/')).toBeUndefined();
  });
});
