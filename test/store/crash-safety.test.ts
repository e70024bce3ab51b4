import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
import { makeStoreEnv } from './store-test-env.js';
import { startWriter } from './store-processes.js';

describe('crash safety', () => {
  it('keeps every acknowledged write when writers are killed with SIGKILL at random moments', async () => {
    const bundle = await bundleFixture('test/fixtures/store-writer.ts');
    const { path, env } = makeStoreEnv();
    const acknowledged: string[] = [];
    const rounds = 30;
    for (let round = 0; round < rounds; round++) {
      const writer = startWriter(bundle, env, path, `r${round}`, 1_000_000);
      const target = 1 + Math.floor(Math.random() * 6);
      await waitFor(`writer r${round} to acknowledge ${target} writes`, () => writer.acks.length >= target, { timeoutMs: 15_000, intervalMs: 1 });
      writer.child.kill('SIGKILL');
      await writer.exited;
      acknowledged.push(...writer.acks);

      // A kill mid-write may leave a temp file: it must hold only ciphertext.
      const leftovers = readdirSync(dirname(path)).filter((name) => name.includes('.tmp-'));
      for (const name of leftovers) {
        expect(readFileSync(join(dirname(path), name), 'utf8')).not.toContain('PLAINTEXT');
      }
      const store = await openFileStore({ path, env });
      const state = await store.read((s) => ({
        counter: s.get('counter'),
        missing: acknowledged.filter((key) => s.get(key) !== `PLAINTEXT-${key.split('/')[1]}`),
      }));
      expect(state.missing).toEqual([]);
      expect(state.counter).toBeGreaterThanOrEqual(acknowledged.length);
      await store.close();
    }
    expect(readFileSync(path, 'utf8')).not.toContain('PLAINTEXT');
    // A later writer (which also breaks the stale lock a killed writer may have left) cleans temp files.
    const store = await openFileStore({ path, env, lockTimeoutMs: 2_000 });
    await store.update((s) => s.put('final', true));
    expect(readdirSync(dirname(path)).filter((name) => name.includes('.tmp-') || name.endsWith('.lock'))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(rounds);
  });
});
