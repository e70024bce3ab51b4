import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/json.js';
import { writeConfig } from '../../src/kv/kv-v2-config.js';
import { deleteLatestData, readData, writeData } from '../../src/kv/kv-v2-data.js';
import { deleteMetadata, patchMetadata, readMetadata, writeMetadata } from '../../src/kv/kv-v2-metadata.js';
import { deleteVersions, destroyVersions, undeleteVersions } from '../../src/kv/kv-v2-versions.js';
import { readV1, writeV1 } from '../../src/kv/kv-v1.js';
import type { Storage } from '../../src/store/storage.js';
import { disableMount, enableMount, readMounts } from '../../src/sys/mounts.js';
import { mergeStoreContents } from '../../src/team/store-merge.js';
import type { StoreContents } from '../../src/team/store-merge.js';
import { seededRandom } from '../store/recipients/seeded-random.js';
import { createContentsStorage, scopeOf } from './contents-storage.js';

const t0 = Date.parse('2024-03-01T00:00:00Z');
type Edit = (storage: Storage, now: number) => void;

// Applies edits to a copy of `from`, one second apart starting at `start`.
function branch(from: StoreContents, start: number, ...edits: Edit[]): Map<string, JsonValue> {
  const { storage, contents } = createContentsStorage(from);
  edits.forEach((edit, i) => edit(storage, start + i * 1000));
  return contents();
}

const put = (key: string, data: Record<string, string>): Edit => (s, now) => void writeData(scopeOf(s), key, { data }, now);
const random = seededRandom('mounts');
const enable = (path: string, type = 'kv-v2'): Edit => (s) => void enableMount(s, path, { type }, (n) => new Uint8Array(random(n)));

function read(contents: StoreContents, key: string, version?: number): JsonValue | undefined {
  const { storage } = createContentsStorage(contents);
  const result = readData(scopeOf(storage), key, version === undefined ? {} : { version }, t0 + 1e9);
  return result?.status === 'live' ? result.data : result?.status;
}

function metadata(contents: StoreContents, key: string) {
  return readMetadata(scopeOf(createContentsStorage(contents).storage), key);
}

const base = branch(new Map(), t0, put('app/db', { password: 'base-pw-1' }), put('app/api', { token: 'base-token-1' }));

describe('merging two branches of a store', () => {
  it('keeps different secrets added on each side, without conflict', () => {
    const ours = branch(base, t0 + 10_000, put('app/cache', { url: 'ours-cache-url' }));
    const theirs = branch(base, t0 + 20_000, put('app/queue', { url: 'theirs-queue-url' }));
    const merged = mergeStoreContents(base, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(read(merged.entries, 'app/cache')).toEqual({ url: 'ours-cache-url' });
    expect(read(merged.entries, 'app/queue')).toEqual({ url: 'theirs-queue-url' });
    expect(read(merged.entries, 'app/db')).toEqual({ password: 'base-pw-1' });
    expect([...merged.entries.keys()]).toEqual([...merged.entries.keys()].sort());
  });

  it('keeps new versions of different secrets from each side', () => {
    const ours = branch(base, t0 + 10_000, put('app/db', { password: 'ours-pw-2' }));
    const theirs = branch(base, t0 + 20_000, put('app/api', { token: 'theirs-token-2' }), put('app/api', { token: 'theirs-token-3' }));
    const merged = mergeStoreContents(base, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(read(merged.entries, 'app/db')).toEqual({ password: 'ours-pw-2' });
    expect(metadata(merged.entries, 'app/api')?.current_version).toBe(3);
    expect(read(merged.entries, 'app/api', 2)).toEqual({ token: 'theirs-token-2' });
    expect(merged.entries).toEqual(branch(ours, t0 + 20_000, put('app/api', { token: 'theirs-token-2' }), put('app/api', { token: 'theirs-token-3' })));
  });

  it('reports new versions of the same secret on both sides by path, and keeps every version', () => {
    const ours = branch(base, t0 + 10_000, put('app/db', { password: 'ours-pw-2' }));
    const theirs = branch(base, t0 + 20_000, put('app/db', { password: 'theirs-pw-2' }), put('app/db', { password: 'theirs-pw-3' }));
    const merged = mergeStoreContents(base, ours, theirs);
    expect(merged.conflicts).toEqual([
      {
        path: 'secret/app/db',
        reason: "both sides wrote new versions (ours 2, theirs 2-3, now 3-4): the current version is theirs' latest (4); keep ours with `secretrun kv rollback -version=2`",
      },
    ]);
    expect(JSON.stringify(merged.conflicts)).not.toMatch(/pw-/);
    const meta = metadata(merged.entries, 'app/db');
    expect(meta?.current_version).toBe(4);
    expect(Object.keys(meta?.versions ?? {})).toEqual(['1', '2', '3', '4']);
    expect([1, 2, 3, 4].map((v) => read(merged.entries, 'app/db', v))).toEqual([
      { password: 'base-pw-1' },
      { password: 'ours-pw-2' },
      { password: 'theirs-pw-2' },
      { password: 'theirs-pw-3' },
    ]);
    // The same merge the other way round conflicts on the same path.
    expect(mergeStoreContents(base, theirs, ours).conflicts.map((c) => c.path)).toEqual(['secret/app/db']);
  });

  it('merges deletes, undeletes and destroys of different versions', () => {
    const start = branch(base, t0 + 5000, put('app/db', { password: 'pw-2' }), put('app/db', { password: 'pw-3' }));
    const ours = branch(start, t0 + 10_000, (s, now) => deleteVersions(scopeOf(s), 'app/db', { versions: [1] }, now));
    const theirs = branch(start, t0 + 20_000, (s) => destroyVersions(scopeOf(s), 'app/db', { versions: [2] }), (s, now) => deleteLatestData(scopeOf(s), 'app/db', now));
    const merged = mergeStoreContents(start, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    const versions = metadata(merged.entries, 'app/db')?.versions;
    expect(versions?.['1']).toMatchObject({ destroyed: false, deletion_time: '2024-03-01T00:00:10Z' });
    expect(versions?.['2']).toMatchObject({ destroyed: true, deletion_time: '' });
    expect(versions?.['3']).toMatchObject({ destroyed: false, deletion_time: '2024-03-01T00:00:21Z' });
    expect(merged.entries.has('kv/5ec8e7a0-0000-4000-8000-000000000001/data/app/db@2')).toBe(false);
    expect(read(merged.entries, 'app/db', 1)).toBe('deleted');

    // Deleted on both sides at different times keeps the earlier time; deleted and undeleted conflicts.
    const both = mergeStoreContents(
      start,
      branch(start, t0 + 40_000, (s, now) => deleteVersions(scopeOf(s), 'app/db', { versions: [3] }, now)),
      branch(start, t0 + 30_000, (s, now) => deleteVersions(scopeOf(s), 'app/db', { versions: [3] }, now)),
    );
    expect(both.conflicts).toEqual([]);
    expect(metadata(both.entries, 'app/db')?.versions['3']?.deletion_time).toBe('2024-03-01T00:00:30Z');
    const deleted = branch(start, t0 + 30_000, (s, now) => deleteVersions(scopeOf(s), 'app/db', { versions: [3] }, now));
    const undone = mergeStoreContents(
      deleted,
      branch(deleted, t0 + 40_000, (s, now) => undeleteVersions(scopeOf(s), 'app/db', { versions: [3] }, now)),
      branch(deleted, t0 + 50_000, (s, now) => deleteVersions(scopeOf(s), 'app/db', { versions: [1] }, now), (s, now) => {
        // Deleting 3 again at another time: write the record as a later delete would.
        const meta = s.get('kv/5ec8e7a0-0000-4000-8000-000000000001/meta/app/db') as { versions: Record<string, { deletion_time: number }> };
        (meta.versions['3'] as { deletion_time: number }).deletion_time = now;
        s.put('kv/5ec8e7a0-0000-4000-8000-000000000001/meta/app/db', meta as unknown as JsonValue);
      }),
    );
    expect(undone.conflicts).toEqual([{ path: 'secret/app/db', reason: 'version 3 was deleted on one side and undeleted on the other: kept ours' }]);
  });

  it('merges custom_metadata and settings field by field', () => {
    const start = branch(base, t0 + 1000, (s, now) => void writeMetadata(scopeOf(s), 'app/db', { custom_metadata: { owner: 'team-a' } }, now));
    const ours = branch(start, t0 + 10_000, (s) => void patchMetadata(scopeOf(s), 'app/db', { custom_metadata: { ticket: 'OPS-1' }, max_versions: 5 }));
    const theirs = branch(start, t0 + 20_000, (s) => void patchMetadata(scopeOf(s), 'app/db', { custom_metadata: { owner: null, env: 'prod' }, cas_required: true }));
    const merged = mergeStoreContents(start, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    const meta = metadata(merged.entries, 'app/db');
    expect(meta?.custom_metadata).toEqual({ env: 'prod', ticket: 'OPS-1' });
    expect([meta?.max_versions, meta?.cas_required]).toEqual([5, true]);

    const clash = mergeStoreContents(
      start,
      branch(start, t0 + 10_000, (s) => void patchMetadata(scopeOf(s), 'app/db', { custom_metadata: { owner: 'team-b' }, max_versions: 5 })),
      branch(start, t0 + 20_000, (s) => void patchMetadata(scopeOf(s), 'app/db', { custom_metadata: { owner: 'team-c' }, max_versions: 7 })),
    );
    expect(clash.conflicts).toEqual([
      { path: 'secret/app/db', reason: 'custom_metadata field "owner" changed on both sides: kept ours' },
      { path: 'secret/app/db', reason: 'setting max_versions changed on both sides: kept ours' },
    ]);
    expect(metadata(clash.entries, 'app/db')?.custom_metadata).toEqual({ owner: 'team-b' });
  });

  it('deletes a secret deleted on one side and unchanged on the other; keeps it when the other side changed it', () => {
    const ours = branch(base, t0 + 10_000, (s) => deleteMetadata(scopeOf(s), 'app/db'));
    const merged = mergeStoreContents(base, ours, base);
    expect(merged.conflicts).toEqual([]);
    expect(metadata(merged.entries, 'app/db')).toBeUndefined();
    expect([...merged.entries.keys()].some((k) => k.includes('app/db'))).toBe(false);

    const theirs = branch(base, t0 + 20_000, put('app/db', { password: 'theirs-pw-2' }));
    const kept = mergeStoreContents(base, ours, theirs);
    expect(kept.conflicts).toEqual([{ path: 'secret/app/db', reason: 'deleted on ours (kv metadata delete) and changed on theirs: kept theirs' }]);
    expect(read(kept.entries, 'app/db')).toEqual({ password: 'theirs-pw-2' });
  });

  it("applies the mount's max_versions when both sides' versions are kept", () => {
    const start = branch(base, t0 + 1000, (s) => writeConfig(scopeOf(s), { max_versions: 3 }));
    const ours = branch(start, t0 + 10_000, put('app/db', { password: 'o2' }), put('app/db', { password: 'o3' }));
    const theirs = branch(start, t0 + 20_000, put('app/db', { password: 't2' }), put('app/db', { password: 't3' }));
    const merged = mergeStoreContents(start, ours, theirs);
    expect(merged.conflicts.map((c) => c.path)).toEqual(['secret/app/db']);
    const meta = metadata(merged.entries, 'app/db');
    expect([meta?.current_version, meta?.oldest_version, Object.keys(meta?.versions ?? {})]).toEqual([5, 3, ['3', '4', '5']]);
    expect([...merged.entries.keys()].filter((k) => k.includes('/data/app/db@'))).toEqual(['3', '4', '5'].map((v) => `kv/5ec8e7a0-0000-4000-8000-000000000001/data/app/db@${v}`));
    expect(read(merged.entries, 'app/db', 3)).toEqual({ password: 'o3' });
  });

  it('prunes to a max_versions lowered on one side when the other side adds a version, as applying both in turn would', () => {
    const start = branch(base, t0 + 1000, put('app/db', { password: 'p2' }), put('app/db', { password: 'p3' }), put('app/db', { password: 'p4' }));
    const ours = branch(start, t0 + 10_000, put('app/db', { password: 'p5' }));
    const theirs = branch(start, t0 + 20_000, (s, now) => void writeMetadata(scopeOf(s), 'app/db', { max_versions: 2 }, now));
    const merged = mergeStoreContents(start, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    const meta = metadata(merged.entries, 'app/db');
    expect([meta?.current_version, meta?.oldest_version, Object.keys(meta?.versions ?? {})]).toEqual([5, 4, ['4', '5']]);
    expect(merged.entries).toEqual(branch(theirs, t0 + 10_000, put('app/db', { password: 'p5' })));
  });

  it('keeps mounts enabled on both sides at different paths, and their secrets', () => {
    const ours = branch(base, t0 + 10_000, enable('team-a/'), (s, now) => {
      const uuid = readMounts(s)['team-a/']?.uuid as string;
      writeData(scopeOf(s, uuid), 'x', { data: { v: 'a-value' } }, now);
    });
    const theirs = branch(base, t0 + 20_000, enable('legacy/', 'kv-v1'), (s) => writeV1(scopeOf(s, readMounts(s)['legacy/']?.uuid as string), 'y', { v: 'b-value' }));
    const merged = mergeStoreContents(base, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    const { storage } = createContentsStorage(merged.entries);
    const table = readMounts(storage);
    expect(Object.keys(table).sort()).toEqual(['legacy/', 'secret/', 'sys/', 'team-a/']);
    expect(readV1(scopeOf(storage, table['legacy/']?.uuid as string), 'y')).toEqual({ v: 'b-value' });
    expect(readData(scopeOf(storage, table['team-a/']?.uuid as string), 'x', {}, t0 + 1e9)?.data).toEqual({ v: 'a-value' });
  });

  it('moves theirs aside when both sides enabled a mount at the same path', () => {
    const ours = branch(base, t0 + 10_000, enable('shared/'));
    const theirs = branch(base, t0 + 20_000, enable('shared/'), (s, now) => {
      writeData(scopeOf(s, readMounts(s)['shared/']?.uuid as string), 'x', { data: { v: 'theirs-value' } }, now);
    });
    const merged = mergeStoreContents(base, ours, theirs);
    expect(merged.conflicts).toEqual([
      { path: 'sys/mounts/shared/', reason: 'enabled on both sides with different engines: kept ours here and moved theirs to shared-theirs/' },
    ]);
    const { storage } = createContentsStorage(merged.entries);
    const table = readMounts(storage);
    expect(table['shared/']?.uuid).toBe(readMounts(createContentsStorage(ours).storage)['shared/']?.uuid);
    expect(readData(scopeOf(storage, table['shared-theirs/']?.uuid as string), 'x', {}, t0 + 1e9)?.data).toEqual({ v: 'theirs-value' });
  });

  it('removes a mount disabled on one side with its secrets, unless the other side changed them', () => {
    const start = branch(base, t0, enable('old/'), (s, now) => void writeData(scopeOf(s, readMounts(s)['old/']?.uuid as string), 'k', { data: { v: '1' } }, now));
    const uuid = readMounts(createContentsStorage(start).storage)['old/']?.uuid as string;
    const ours = branch(start, t0 + 10_000, (s) => void disableMount(s, 'old/'));
    const clean = mergeStoreContents(start, ours, start);
    expect(clean.conflicts).toEqual([]);
    expect([...clean.entries.keys()].filter((k) => k.includes(uuid))).toEqual([]);
    expect(Object.keys(readMounts(createContentsStorage(clean.entries).storage))).not.toContain('old/');

    const theirs = branch(start, t0 + 20_000, (s, now) => void writeData(scopeOf(s, uuid), 'k2', { data: { v: '2' } }, now));
    const kept = mergeStoreContents(start, ours, theirs);
    expect(kept.conflicts).toEqual([{ path: 'sys/mounts/old/', reason: 'disabled on ours while theirs changed secrets under it: kept the mount and its secrets' }]);
    expect(readData(scopeOf(createContentsStorage(kept.entries).storage, uuid), 'k2', {}, t0 + 1e9)?.data).toEqual({ v: '2' });
  });

  it('merges KV v1 secrets and system entries as whole values', () => {
    const start = branch(base, t0, enable('kv1/', 'kv-v1'), (s) => {
      writeV1(scopeOf(s, readMounts(s)['kv1/']?.uuid as string), 'x', { v: 'base' });
      s.put('sys/policy/acl/app', { policy: 'path "secret/*" {}' });
    });
    const uuid = readMounts(createContentsStorage(start).storage)['kv1/']?.uuid as string;
    const v1 = (value: string): Edit => (s) => writeV1(scopeOf(s, uuid), 'x', { v: value });
    const policy: Edit = (s) => s.put('sys/policy/acl/app', { policy: 'path "secret/app/*" {}' });
    expect(mergeStoreContents(start, branch(start, t0, v1('ours-v1')), branch(start, t0, policy))).toEqual({
      entries: branch(start, t0, v1('ours-v1'), policy),
      conflicts: [],
    });
    const clash = mergeStoreContents(start, branch(start, t0, v1('ours-v1')), branch(start, t0, v1('theirs-v1')));
    expect(clash.conflicts).toEqual([{ path: 'kv1/x', reason: 'changed on both sides: kept ours' }]);
    const gone = mergeStoreContents(start, branch(start, t0, (s) => s.delete('sys/policy/acl/app')), branch(start, t0, policy));
    expect(gone.conflicts).toEqual([{ path: 'sys/policy/acl/app', reason: 'deleted on ours and changed on theirs: kept theirs' }]);
    expect(gone.entries.get('sys/policy/acl/app')).toEqual({ policy: 'path "secret/app/*" {}' });
  });

  it('merges a secret created on both sides: versions on one side and settings on the other merge cleanly', () => {
    const ours = branch(base, t0 + 10_000, put('new/key', { v: 'ours' }));
    const theirs = branch(base, t0 + 20_000, (s, now) => void writeMetadata(scopeOf(s), 'new/key', { max_versions: 4 }, now));
    const merged = mergeStoreContents(base, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(metadata(merged.entries, 'new/key')).toMatchObject({ current_version: 1, max_versions: 4, created_time: '2024-03-01T00:00:10Z' });
    const both = mergeStoreContents(base, ours, branch(base, t0 + 20_000, put('new/key', { v: 'theirs' })));
    expect(both.conflicts.map((c) => c.reason)).toEqual([expect.stringContaining('both sides wrote new versions (ours 1, theirs 1, now 2)')]);
  });
});
