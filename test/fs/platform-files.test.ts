// Replacing and locking files by platform, with the platform injected. The Windows failures
// are produced for real on this ext4 machine: an immutable file (chattr +i) refuses a rename
// over it, and an immutable directory the creation of a file in it, with EPERM, as Windows
// does while another program holds the file open. What Windows itself would do is in
// docs/windows.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/fs/atomic-write.js';
import { filePlatform, retryTransient } from '../../src/fs/platform-files.js';
import { acquireStoreLock } from '../../src/store/lock.js';
import { isSecretrunError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// Runs `body` with `path` immutable (chattr +i), always clearing the flag afterwards so the
// temp dir can be removed.
async function withImmutable<T>(path: string, body: () => Promise<T>): Promise<T> {
  execFileSync('chattr', ['+i', path]);
  try {
    return await body();
  } finally {
    execFileSync('chattr', ['-i', path]);
  }
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

describe('filePlatform and retryTransient', () => {
  it('fsyncs directories and retries nothing on POSIX; on Windows the reverse, for EPERM, EACCES and EBUSY', () => {
    expect(filePlatform('linux')).toEqual({ syncsDirectories: true, transientCodes: [] });
    expect(filePlatform('darwin')).toEqual({ syncsDirectories: true, transientCodes: [] });
    expect(filePlatform('win32')).toEqual({ syncsDirectories: false, transientCodes: ['EPERM', 'EACCES', 'EBUSY'] });
  });

  it('tries again with growing pauses while the error is transient, for about a second, then gives up', async () => {
    const pauses: number[] = [];
    const wait = async (ms: number): Promise<void> => void pauses.push(ms);
    let calls = 0;
    const flaky = async (): Promise<string> => {
      calls += 1;
      if (calls <= 3) throw errno(calls === 2 ? 'EACCES' : 'EPERM');
      return 'done';
    };
    expect(await retryTransient(filePlatform('win32'), flaky, wait)).toBe('done');
    expect(pauses).toEqual([10, 20, 40]);
    calls = 0;
    await expect(retryTransient(filePlatform('linux'), flaky, wait)).rejects.toMatchObject({ code: 'EPERM' });
    expect(calls).toBe(1);
    pauses.length = 0;
    await expect(retryTransient(filePlatform('win32'), async () => Promise.reject(errno('EBUSY')), wait)).rejects.toMatchObject({ code: 'EBUSY' });
    expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBe(1250);
    await expect(retryTransient(filePlatform('win32'), async () => Promise.reject(errno('ENOSPC')), wait)).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});

describe('writeFileAtomic by platform', () => {
  it('on Windows waits out a file another program holds (a rename refused with EPERM), on POSIX fails at once', async () => {
    const dir = makeTempDir();
    const target = join(dir, 'store.json');
    writeFileSync(target, 'old\n');
    await withImmutable(target, async () => {
      await expect(writeFileAtomic(target, 'posix\n', { platform: 'linux' })).rejects.toMatchObject({ code: 'EPERM' });
    });
    expect(readdirSync(dir)).toEqual(['store.json']);
    execFileSync('chattr', ['+i', target]);
    let released = false;
    try {
      const writing = writeFileAtomic(target, 'new\n', { platform: 'win32' });
      // The temp file is written and the rename refused; the holder lets go.
      await waitFor('the temp file beside the store', () => readdirSync(dir).some((name) => name.startsWith('store.json.tmp-')));
      execFileSync('chattr', ['-i', target]);
      released = true;
      await writing;
    } finally {
      if (!released) execFileSync('chattr', ['-i', target]);
    }
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['store.json']);
  });

  it('writes without fsyncing the directory on Windows, as on POSIX with it', async () => {
    const dir = makeTempDir();
    for (const platform of ['win32', 'linux'] as const) {
      const file = join(dir, `${platform}.txt`);
      await writeFileAtomic(file, platform, { platform, mode: 0o600 });
      expect(readFileSync(file, 'utf8')).toBe(platform);
    }
  });
});

describe('the store lock by platform', () => {
  it('counts a lock name that cannot be taken this moment as busy on Windows (waits, then store_locked), as an error on POSIX (store_io)', async () => {
    const dir = makeTempDir();
    const store = join(dir, 'store.json');
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 'acquired', (error: unknown) => (isSecretrunError(error) ? error.code : String(error)));
    await withImmutable(dir, async () => {
      expect(await codeOf(acquireStoreLock(store, 200, 'linux'))).toBe('store_io');
      const started = Date.now();
      expect(await codeOf(acquireStoreLock(store, 200, 'win32'))).toBe('store_locked');
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    });
    const release = await acquireStoreLock(store, 200, 'win32');
    expect(existsSync(`${store}.lock`)).toBe(true);
    await release();
    expect(existsSync(`${store}.lock`)).toBe(false);
  });
});
