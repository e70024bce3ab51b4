import { describe, expect, it } from 'vitest';
import { folderPrefix, listChildren } from '../../src/kv/list-keys.js';

describe('listChildren', () => {
  const keys = ['p/a', 'p/a/b', 'p/a/c/d', 'p/b@1', 'p/z/', 'q/x'];
  it('returns sorted immediate children; a name may be key and folder', () => {
    expect(listChildren(keys, 'p/')).toEqual(['a', 'a/', 'b@1', 'z/']);
    expect(listChildren(keys, 'p/a/')).toEqual(['b', 'c/']);
    expect(listChildren(keys, 'r/')).toEqual([]);
  });

  it('normalises folder prefixes', () => {
    expect(folderPrefix('')).toBe('');
    expect(folderPrefix('a')).toBe('a/');
    expect(folderPrefix('a/')).toBe('a/');
  });
});
