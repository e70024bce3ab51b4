import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import { makeStoreEnv } from './store-test-env.js';

describe('a store with 10,000 entries', () => {
  it('opens and serves one get without decrypting or parsing the rest', async () => {
    const { path, env } = makeStoreEnv();
    const writer = await openFileStore({ path, env, create: true });
    await writer.update((s) => {
      for (let i = 0; i < 10_000; i++) s.put(`secret/data/app-${String(i).padStart(5, '0')}`, { password: `PLAINTEXT-${i}`, user: 'svc' });
    });
    const decrypted: string[] = [];
    const started = performance.now();
    const store = await openFileStore({ path, env, onDecrypt: (key) => decrypted.push(key) });
    const value = await store.read((s) => s.get('secret/data/app-04242'));
    const elapsed = performance.now() - started;
    expect(value).toEqual({ password: 'PLAINTEXT-4242', user: 'svc' });
    expect(decrypted).toEqual(['secret/data/app-04242']);
    // Measured at 10-30 ms on a 2-core machine (read and MAC over ~1.5 MB; lookups bisect the
    // bytes, nothing is scanned per entry); the bound is loose so only a regression to
    // per-entry parsing or decryption trips it.
    expect(elapsed).toBeLessThan(400);
    expect(await store.read((s) => s.list('secret/data/app-0999'))).toHaveLength(10);

    // An update of one entry re-encrypts one line only.
    await store.update((s) => s.put('secret/data/app-00001', { password: 'PLAINTEXT-changed' }));
    expect(decrypted).toEqual(['secret/data/app-04242', 'secret/data/app-00001']);
  });
});
