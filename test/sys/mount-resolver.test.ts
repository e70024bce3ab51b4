import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { findMount, resolveKvPath } from '../../src/sys/mount-resolver.js';
import { defaultMounts, enableMount, readMounts } from '../../src/sys/mounts.js';

const random = (n: number): Uint8Array => new Uint8Array(n).fill(7);

describe('the server-side mount resolver', () => {
  it('finds the longest mount prefix and what follows it', async () => {
    const store = createMemoryStore();
    await store.update((storage) => {
      enableMount(storage, 'team', { type: 'kv-v2' }, random);
      enableMount(storage, 'team-v1', { type: 'kv' }, random);
    });
    await store.read((storage) => {
      const table = readMounts(storage);
      expect(findMount(table, 'team/data/x')).toMatchObject({ path: 'team/', rest: 'data/x' });
      expect(findMount(table, 'team-v1/app')).toMatchObject({ path: 'team-v1/', rest: 'app' });
      expect(findMount(table, 'nope/x')).toBeUndefined();
      expect(resolveKvPath(storage, table, 'team-v1/app')).toMatchObject({ mountPath: 'team-v1/', version: 1, rest: 'app' });
      expect(resolveKvPath(storage, table, 'secret/data/a')).toMatchObject({ mountPath: 'secret/', version: 2, rest: 'data/a' });
      expect(resolveKvPath(storage, table, 'sys/mounts')).toBeUndefined();
    });
  });

  it('a new store has secret/ as KV v2 and the system mount', () => {
    expect(Object.keys(defaultMounts()).sort()).toEqual(['secret/', 'sys/']);
  });
});
