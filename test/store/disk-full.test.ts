import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/file-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeStoreEnv } from './store-test-env.js';

// A full disk, for real: a 64 KiB tmpfs. Mounting needs root (CAP_SYS_ADMIN), which the
// project's test machine has; elsewhere this file cannot run and says so in its test name.
const mounted: string[] = [];

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = makeTempDir('secretrun-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function mountSmallDisk(): string {
  const dir = makeTempDir('secretrun-full-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

// Fills the disk with 4 KiB files (one tmpfs page each) until it is full; returns their paths.
function fillDisk(dir: string): string[] {
  const fillers: string[] = [];
  for (let i = 0; ; i++) {
    const file = join(dir, `filler-${i}`);
    try {
      writeFileSync(file, Buffer.alloc(4096));
      fillers.push(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      rmSync(file, { force: true });
      return fillers;
    }
  }
}

afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
});

const leftovers = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.lock') || name.includes('.tmp-') || name.endsWith('.break'));

describe.runIf(canMount())('a full disk (a 64 KiB tmpfs; needs root to mount)', () => {
  async function storeOnSmallDisk() {
    const dir = mountSmallDisk();
    const { env } = makeStoreEnv();
    const path = join(dir, 'store.json');
    const store = await openFileStore({ path, env, create: true });
    await store.update((s) => s.put('a', 'PLAINTEXT-a'));
    return { dir, path, store, before: readFileSync(path) };
  }

  it('leaves no empty lock file when the lock cannot be written, and says the disk is full', async () => {
    const { dir, path, store, before } = await storeOnSmallDisk();
    fillDisk(dir);
    const error = await store.update((s) => s.put('a', 'PLAINTEXT-b')).then(() => undefined, (e: unknown) => e as SecretrunError);
    expect(error).toBeInstanceOf(SecretrunError);
    expect(error?.code).toBe('store_io');
    expect(error?.message).toBe(`cannot lock store ${path}: disk full on ${path}.lock (ENOSPC; free some space and retry)`);
    expect(leftovers(dir)).toEqual([]);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('leaves no temp file or lock when the store cannot be written, and says the disk is full', async () => {
    const { dir, path, store, before } = await storeOnSmallDisk();
    const fillers = fillDisk(dir);
    // One free page: enough for the lock file, not for a store holding 6 KB more.
    rmSync(fillers[0] as string);
    const error = await store.update((s) => s.put('b', 'x'.repeat(6000))).then(() => undefined, (e: unknown) => e as SecretrunError);
    expect(error?.message).toBe(`cannot write store ${path}: disk full (ENOSPC; free some space and retry)`);
    expect(leftovers(dir)).toEqual([]);
    expect(readFileSync(path).equals(before)).toBe(true);
    // Once there is room again, the same store writes.
    for (const file of fillers.slice(1, 4)) rmSync(file);
    await store.update((s) => s.put('b', 'x'.repeat(6000)));
    expect(await store.read((s) => s.list(''))).toEqual(['a', 'b']);
  });
});
