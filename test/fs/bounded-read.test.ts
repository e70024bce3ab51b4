import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSize, isTooLarge, readFileBounded } from '../../src/fs/bounded-read.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('bounded read', () => {
  it('reads a file up to the limit', () => {
    const file = join(makeTempDir(), 'f');
    writeFileSync(file, 'x'.repeat(100));
    expect(readFileBounded(file, 100).toString()).toBe('x'.repeat(100));
    writeFileSync(file, '');
    expect(readFileBounded(file, 100)).toHaveLength(0);
  });

  it('refuses a larger regular file by its size, without reading it', () => {
    const file = join(makeTempDir(), 'sparse');
    // A sparse 8 GiB file: reading it would take seconds and gigabytes.
    writeFileSync(file, '');
    truncateSync(file, 8 * 2 ** 30);
    const started = Date.now();
    const error = (() => {
      try {
        readFileBounded(file, 1024);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isTooLarge(error)).toBe(true);
    expect((error as Error).message).toBe(`${file} is larger than 1 KiB`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stops reading an endless device past the limit', () => {
    expect(() => readFileBounded('/dev/zero', 100_000)).toThrow('/dev/zero is larger than 100000 bytes');
  });

  it('reads files that report size 0 yet have contents (/proc)', () => {
    expect(readFileBounded('/proc/self/status', 1024 * 1024).toString()).toContain('Pid:');
  });

  it('formats limits as people write them', () => {
    expect([formatSize(4096), formatSize(32 * 2 ** 20), formatSize(2 ** 30), formatSize(1000)]).toEqual(['4 KiB', '32 MiB', '1 GiB', '1000 bytes']);
  });
});
