// makeTempDir: a directory lives as long as what it was made for.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './temp-dir.js';

describe('makeTempDir', () => {
  let forFile = '';
  let forTest = '';
  beforeAll(() => {
    forFile = makeTempDir();
  });

  it('keeps a directory made in beforeAll through the first test', () => {
    expect(existsSync(forFile)).toBe(true);
    forTest = makeTempDir();
  });

  it('and through the next; a directory made in a test is gone after it', () => {
    expect(existsSync(forFile)).toBe(true);
    expect(forTest).not.toBe('');
    expect(existsSync(forTest)).toBe(false);
  });
});
