import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/file-store.js';
import { acquireStoreLock } from '../../src/store/lock.js';
import { makeStoreEnv } from './store-test-env.js';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(path: string, pid: number): string {
  const content = JSON.stringify({ pid, host: hostname(), time: new Date().toISOString(), token: 'planted' });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.lock`, content);
  return content;
}

describe('store lock', () => {
  it('takes over a lock whose holder pid is dead and releases it after the write', async () => {
    const { path, env } = makeStoreEnv();
    writeLock(path, deadPid());
    const store = await openFileStore({ path, env, create: true, lockTimeoutMs: 1_000 });
    await store.update((s) => s.put('a', 1));
    expect(await store.read((s) => s.get('a'))).toBe(1);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('fails with store_locked naming the store and the holder pid when a live holder keeps it', async () => {
    const { path, env } = makeStoreEnv();
    const store = await openFileStore({ path, env, create: true, lockTimeoutMs: 200 });
    await store.update((s) => s.put('a', 1));
    const before = readFileSync(path, 'utf8');
    const lock = writeLock(path, process.pid);
    const started = Date.now();
    const error = await store.update((s) => s.put('a', 2)).catch((e: unknown) => e as SecretrunError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(error).toBeInstanceOf(SecretrunError);
    expect((error as SecretrunError).code).toBe('store_locked');
    expect((error as SecretrunError).message).toContain(path);
    expect((error as SecretrunError).message).toContain(`pid ${process.pid}`);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(lock);
  });

  it('waits for a live holder that releases, then proceeds', async () => {
    const { path } = makeStoreEnv();
    mkdirSync(dirname(path), { recursive: true });
    const release = await acquireStoreLock(path, 1_000);
    const order: string[] = [];
    const second = acquireStoreLock(path, 5_000).then((r) => {
      order.push('second');
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push('first released');
    await release();
    await (await second)();
    expect(order).toEqual(['first released', 'second']);
  });

  it('lets exactly one of many racing recoverers hold a stale lock at a time', async () => {
    const { path } = makeStoreEnv();
    writeLock(path, deadPid());
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await acquireStoreLock(path, 10_000);
        inside++;
        most = Math.max(most, inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
        await release();
      }),
    );
    expect(most).toBe(1);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('treats an unreadable lock as live while young', async () => {
    const { path } = makeStoreEnv();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.lock`, '');
    const error = await acquireStoreLock(path, 100).catch((e: unknown) => e as SecretrunError);
    expect((error as SecretrunError).code).toBe('store_locked');
  });
});
