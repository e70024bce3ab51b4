import { describe, expect, it } from 'vitest';
import { buildSegmentTrie, visitSegmentMatches } from '../../src/auth/segment-trie.js';

describe('the segment trie', () => {
  const patterns = ['secret/+/config', 'secret/+/+', '+/data/x', 'secret/+/fo*', 'secret/+/*', 'team/+x/y'].map((pattern) => {
    const isPrefix = pattern.endsWith('*');
    return { segments: (isPrefix ? pattern.slice(0, -1) : pattern).split('/'), isPrefix, value: pattern };
  });
  const trie = buildSegmentTrie(patterns);
  const matches = (path: string): string[] => {
    const found: string[] = [];
    visitSegmentMatches(trie, path, (value) => found.push(value));
    return found.sort();
  };

  it('matches + as one whole segment and other segments exactly', () => {
    expect(matches('secret/a/config')).toEqual(['secret/+/*', 'secret/+/+', 'secret/+/config']);
    expect(matches('secret/a')).toEqual([]);
    expect(matches('secret/a/b/c')).toEqual(['secret/+/*']);
    expect(matches('kv/data/x')).toEqual(['+/data/x']);
    expect(matches('team/+x/y')).toEqual(['team/+x/y']); // "+x" is a literal segment
    expect(matches('team/ax/y')).toEqual([]);
  });

  it('compares a trailing glob segment by prefix, within one segment', () => {
    expect(matches('secret/a/food')).toEqual(['secret/+/*', 'secret/+/+', 'secret/+/fo*']);
    expect(matches('secret/a/food/more')).toEqual(['secret/+/*', 'secret/+/fo*']);
    expect(matches('secret/a/f/oo')).toEqual(['secret/+/*']);
    expect(matches('secret/a/')).toEqual(['secret/+/*', 'secret/+/+']);
  });
});
