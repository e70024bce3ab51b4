import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.js';
import { stateDirOf } from '../../src/store/store-paths.js';
import { createFileStoreAccess } from '../../src/team/store-access.js';
import { entryKeysOf, makeStoreEnv } from '../store/store-test-env.js';

// The merge driver works on the store files git hands it (temp copies named by git): it merges
// what they hold and nothing beside them, so it never reads or writes a state file.


describe('file store access (the merge and diff drivers)', () => {
  it('keeps the runtime keys a store file written before the state file holds, and writes nothing beside it', async () => {
    const { path, env } = makeStoreEnv();
    // A committed file from before the state file: the server's root token hash in it.
    const old = await openFileStore({ path, env, create: true, runtimePrefixes: [] });
    await old.update((s) => (s.put('sys/token/id/root', { policies: ['root'] }), s.put('sys/mounts', { m: 1 })));
    await old.close();
    const access = createFileStoreAccess({ env });
    const read = await access.readContents(path);
    expect([...(read?.contents.keys() ?? [])]).toEqual(['sys/mounts', 'sys/token/id/root']);
    const merged = new Map(read?.contents);
    merged.set('kv/uuid/data/app@1', { value: 'merged' });
    await access.writeContents(path, merged);
    // The merged file holds what was merged, the runtime key too; the next real write moves it.
    expect(entryKeysOf(path)).toEqual(['kv/uuid/data/app@1', 'sys/mounts', 'sys/token/id/root']);
    expect(existsSync(stateDirOf(path))).toBe(false);
    // Nor does a temp file of git's (not named store.json, outside .secretrun/) get a state directory.
    expect(existsSync(join(dirname(path), '..', '.secretrun-state'))).toBe(false);
  });
});
