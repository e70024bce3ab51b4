import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import { bundleFixture } from '../helpers/bundle-fixture.js';
import { makeStoreEnv } from './store-test-env.js';
import { startWriter } from './store-processes.js';

describe('concurrent writers', () => {
  it('loses no acknowledged write with 4 processes incrementing one counter', async () => {
    const bundle = await bundleFixture('test/fixtures/store-writer.ts');
    const { path, env } = makeStoreEnv();
    const perWriter = 25;
    const writers = ['w0', 'w1', 'w2', 'w3'].map((name) => startWriter(bundle, env, path, name, perWriter));
    expect(await Promise.all(writers.map((w) => w.exited))).toEqual([0, 0, 0, 0]);
    const store = await openFileStore({ path, env });
    const { counter, keys } = await store.read((s) => ({ counter: s.get('counter'), keys: s.list('w') }));
    expect(counter).toBe(4 * perWriter);
    expect(keys).toHaveLength(4 * perWriter);
    for (const writer of writers) expect(writer.acks).toHaveLength(perWriter);
  });
});
