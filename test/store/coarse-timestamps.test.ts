import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSignature, isSameSignature, isSettled, trustAfterMs } from '../../src/store/file-signature.js';
import { openFileStore } from '../../src/store/file-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { makeStoreEnv } from './store-test-env.js';

// No acknowledged write is lost, and no read is stale, when another writer's file has the
// same inode, size and timestamps as the one a long-lived process loaded (see
// src/store/file-signature.ts).

const statKey = (path: string) => {
  const { ino, size, mtimeNs, ctimeNs } = statSync(path, { bigint: true });
  return `${ino}:${size}:${mtimeNs}:${ctimeNs}`;
};

describe('file signatures', () => {
  const stats = (mtimeNs: bigint, ctimeNs = mtimeNs) => ({ ino: 12n, size: 409n, mtimeNs, ctimeNs }) as Parameters<typeof buildSignature>[0];
  const t = 1_700_000_000_000n * 1_000_000n;

  it('tell whole-second timestamps (coarse) from finer ones and use the later of mtime and ctime', () => {
    expect(buildSignature(stats(t))).toEqual({ ino: 12n, size: 409n, mtimeNs: t, ctimeNs: t, stampMs: 1_700_000_000_000, coarse: true });
    expect(isSameSignature(buildSignature(stats(t)), buildSignature(stats(t)))).toBe(true);
    expect(isSameSignature(buildSignature(stats(t)), buildSignature(stats(t, t + 1n)))).toBe(false);
    expect(buildSignature(stats(t + 4_000_000n)).coarse).toBe(false);
    expect(buildSignature(stats(t, t + 2_000_000_000n))).toMatchObject({ stampMs: 1_700_000_002_000, coarse: true });
  });

  it('are trusted alone only once the file is older than its timestamp granularity', () => {
    const coarse = buildSignature(stats(t));
    const fine = buildSignature(stats(t + 4_000_000n));
    expect(isSettled(coarse, coarse.stampMs + 999)).toBe(false);
    expect(isSettled(coarse, coarse.stampMs + trustAfterMs.coarse - 1)).toBe(false);
    expect(isSettled(coarse, coarse.stampMs + trustAfterMs.coarse)).toBe(true);
    expect(isSettled(fine, fine.stampMs + trustAfterMs.fine - 1)).toBe(false);
    expect(isSettled(fine, fine.stampMs + trustAfterMs.fine)).toBe(true);
    // A file stamped in the future (clock skew) is never trusted alone.
    expect(isSettled(coarse, coarse.stampMs - 10_000)).toBe(false);
  });
});

describe('a file rewritten in place with its mtime restored (any file system)', () => {
  it('is seen by reads and never overwritten by a write from stale data', async () => {
    const { dir, path, env } = makeStoreEnv();
    const server = await openFileStore({ path, env, create: true });
    await server.update((s) => s.put('v', 'aaaa'));
    // Another writer's version of the same store, of the same size.
    const other = join(dir, 'other.json');
    copyFileSync(path, other);
    const writer = await openFileStore({ path: other, env });
    await writer.update((s) => s.put('v', 'bbbb'));
    const before = statSync(path, { bigint: true });
    // touch -r copies timestamps to the nanosecond (utimes() takes float seconds).
    const times = join(dir, 'times');
    writeFileSync(times, '');
    execFileSync('touch', ['-r', path, times]);
    writeFileSync(path, readFileSync(other));
    execFileSync('touch', ['-r', times, path]);
    const after = statSync(path, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);

    expect(await server.read((s) => s.get('v'))).toBe('bbbb');
    await server.update((s) => s.put('w', 'x'));
    const fresh = await openFileStore({ path, env });
    expect(await fresh.read((s) => [s.get('v'), s.get('w')])).toEqual(['bbbb', 'x']);
  });
});

// ext4 with 128-byte inodes keeps whole-second timestamps and hands a freed inode number to
// the next file: two writes within one second leave a file with the very inode, size, mtime
// and ctime of the one a process loaded. Mounting needs root, which the test machine has.
const mounted: string[] = [];

function canMountExt4(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mkfs.ext4', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function mountCoarseExt4(): string {
  const work = makeTempDir('secretrun-ext4-');
  const image = join(work, 'fs.img');
  writeFileSync(image, '');
  execFileSync('truncate', ['-s', '16M', image]);
  execFileSync('mkfs.ext4', ['-q', '-F', '-I', '128', image], { stdio: 'ignore' });
  const dir = join(work, 'mnt');
  execFileSync('mkdir', [dir]);
  execFileSync('mount', ['-o', 'loop', image, dir]);
  mounted.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
});

describe.runIf(canMountExt4())('ext4 with 128-byte inodes: 1 s timestamps and reused inodes (needs root to mount)', () => {
  // A long-lived store (the server's) writes, then another writer (a CLI) writes twice in the
  // same second, each value of the same size: the file ends with the server's stat data.
  async function collide(options: { now?: () => number } = {}) {
    const dir = mountCoarseExt4();
    const { env } = makeStoreEnv();
    const path = join(dir, 'store.json');
    const server = await openFileStore({ path, env, create: true, ...options });
    await server.update((s) => s.put('v', 'aaaa'));
    await waitFor('the start of a second', () => Date.now() % 1000 < 200, { intervalMs: 1 });
    await server.update((s) => s.put('w', 'w1'));
    // A read compares the file once more, and settles it if the clock says it is old enough.
    expect(await server.read((s) => s.get('v'))).toBe('aaaa');
    const loaded = statKey(path);
    const cli = await openFileStore({ path, env });
    await cli.update((s) => s.put('v', 'bbbb'));
    await cli.update((s) => s.put('v', 'cccc'));
    // The precondition this test is about: stat cannot tell the files apart.
    expect(statKey(path)).toBe(loaded);
    return { path, env, server };
  }

  it('a read sees the other writer\'s acknowledged write', async () => {
    const { server } = await collide();
    expect(await server.read((s) => s.get('v'))).toBe('cccc');
  });

  it('a write keeps the other writer\'s acknowledged write', async () => {
    const { path, env, server } = await collide();
    await server.update((s) => s.put('w', 'w2'));
    const fresh = await openFileStore({ path, env });
    expect(await fresh.read((s) => [s.get('v'), s.get('w')])).toEqual(['cccc', 'w2']);
  });

  it('a write checks the file under the lock even when stat data is trusted for reads', async () => {
    // A clock long past the file's timestamps: reads trust stat data (and so miss the
    // change, the price of a stat per read), writes never do.
    const { path, env, server } = await collide({ now: () => Date.now() + 60_000 });
    expect(await server.read((s) => s.get('v'))).toBe('aaaa');
    await server.update((s) => s.put('w', 'w2'));
    const fresh = await openFileStore({ path, env });
    expect(await fresh.read((s) => [s.get('v'), s.get('w')])).toEqual(['cccc', 'w2']);
  });
});
