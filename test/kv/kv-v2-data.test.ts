import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/kv/kv-v2-config.js';
import { deleteLatestData, patchData, readData, writeData } from '../../src/kv/kv-v2-data.js';
import { readMetadata, writeMetadata } from '../../src/kv/kv-v2-metadata.js';
import { deleteVersions, destroyVersions, undeleteVersions } from '../../src/kv/kv-v2-versions.js';
import { createKvHarness, errorOf } from './kv-harness.js';

describe('writeData / readData', () => {
  it('writes versions 1, 2, … and reads the current or a given one', async () => {
    const kv = createKvHarness();
    const first = await kv.run((s, now) => writeData(s, 'app/db', { data: { password: 'one' } }, now));
    expect(first).toEqual({
      status: 'written',
      metadata: { created_time: '2024-01-01T00:00:00Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
      warnings: [],
    });
    kv.advance(1500);
    await kv.run((s, now) => writeData(s, 'app/db', { data: { password: 'two', nested: { a: [1, 2] } } }, now));
    const current = await kv.run((s, now) => readData(s, 'app/db', {}, now));
    expect(current).toEqual({
      status: 'live',
      data: { password: 'two', nested: { a: [1, 2] } },
      metadata: { created_time: '2024-01-01T00:00:01.5Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 2 },
    });
    for (const version of [0, -3, '0', undefined]) {
      expect((await kv.run((s, now) => readData(s, 'app/db', { version }, now)))?.metadata.version).toBe(2);
    }
    expect(await kv.run((s, now) => readData(s, 'app/db', { version: '1' }, now))).toMatchObject({
      status: 'live',
      data: { password: 'one' },
    });
  });

  it('reads a missing key, a missing version and a metadata-only key as undefined', async () => {
    const kv = createKvHarness();
    expect(await kv.run((s, now) => readData(s, 'nope', {}, now))).toBeUndefined();
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 'b' } }, now));
    expect(await kv.run((s, now) => readData(s, 'k', { version: 7 }, now))).toBeUndefined();
    await kv.run((s, now) => writeMetadata(s, 'only-meta', { max_versions: 3 }, now));
    expect(await kv.run((s, now) => readData(s, 'only-meta', {}, now))).toBeUndefined();
  });

  it('rejects a bad version parameter with Vault field text', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: {} }, now));
    const error = await errorOf(() => kv.run((s, now) => readData(s, 'k', { version: 'abc' }, now)));
    expect(error.message).toBe(
      `Field validation failed: error converting input abc for field "version": cannot parse '' as int: strconv.ParseInt: parsing "abc": invalid syntax`,
    );
  });

  it('requires data', async () => {
    const kv = createKvHarness();
    for (const input of [{}, { data: null }]) {
      const error = await errorOf(() => kv.run((s, now) => writeData(s, 'k', input, now)));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toBe('no data provided');
    }
    // Vault would echo the input; a secret value must never reach an error message.
    const error = await errorOf(() => kv.run((s, now) => writeData(s, 'k', { data: 'hunter2' }, now)));
    expect(error.message).toBe(
      `Field validation failed: error converting input <redacted> for field "data": '' expected a map, got 'string'`,
    );
    expect(await kv.keys()).toEqual([]);
  });

  it('stores an empty object', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: {} }, now));
    expect(await kv.run((s, now) => readData(s, 'k', {}, now))).toMatchObject({ status: 'live', data: {} });
  });

  it('does not undelete older versions and keeps metadata times', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: { v: 1 } }, now));
    await kv.run((s, now) => deleteLatestData(s, 'k', now));
    kv.advance(1000);
    await kv.run((s, now) => writeData(s, 'k', { data: { v: 2 } }, now));
    expect((await kv.run((s, now) => readData(s, 'k', { version: 1 }, now)))?.status).toBe('deleted');
    const meta = await kv.run((s) => readMetadata(s, 'k'));
    expect(meta?.created_time).toBe('2024-01-01T00:00:00Z');
    expect(meta?.updated_time).toBe('2024-01-01T00:00:01Z');
  });

  it('keeps the stored data out of reach of the caller', async () => {
    const kv = createKvHarness();
    const data = { a: { b: 'c' } };
    await kv.run((s, now) => writeData(s, 'k', { data }, now));
    data.a.b = 'changed';
    expect((await kv.run((s, now) => readData(s, 'k', {}, now)))?.data).toEqual({ a: { b: 'c' } });
  });
});

describe('check-and-set on writes', () => {
  it('enforces mount and key cas_required and cas 0', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeConfig(s, { cas_required: true }));
    expect((await errorOf(() => kv.run((s, now) => writeData(s, 'k', { data: {} }, now)))).message).toBe(
      'check-and-set parameter required for this call',
    );
    await kv.run((s, now) => writeData(s, 'k', { data: {}, options: { cas: 0 } }, now));
    expect((await errorOf(() => kv.run((s, now) => writeData(s, 'k', { data: {}, options: { cas: 0 } }, now)))).message).toBe(
      'check-and-set parameter did not match the current version',
    );
    const second = await kv.run((s, now) => writeData(s, 'k', { data: {}, options: { cas: '1' } }, now));
    expect(second.metadata.version).toBe(2);

    const other = createKvHarness();
    await other.run((s, now) => writeMetadata(s, 'k', { cas_required: true }, now));
    expect((await errorOf(() => other.run((s, now) => writeData(s, 'k', { data: {} }, now)))).message).toBe(
      'check-and-set parameter required for this call',
    );
    // A metadata-only key has current version 0.
    await other.run((s, now) => writeData(s, 'k', { data: {}, options: { cas: 0 } }, now));
  });

  it('rejects an unparsable cas', async () => {
    const kv = createKvHarness();
    const error = await errorOf(() => kv.run((s, now) => writeData(s, 'k', { data: {}, options: { cas: 'x' } }, now)));
    expect(error.message).toBe('error parsing check-and-set parameter');
  });
});

describe('max_versions pruning through writes', () => {
  it('removes pruned versions from metadata and storage', async () => {
    const kv = createKvHarness();
    for (let i = 1; i <= 11; i++) await kv.run((s, now) => writeData(s, 'k', { data: { i } }, now));
    const meta = await kv.run((s) => readMetadata(s, 'k'));
    expect(meta?.oldest_version).toBe(2);
    expect(Object.keys(meta?.versions ?? {})).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(await kv.run((s, now) => readData(s, 'k', { version: 1 }, now))).toBeUndefined();
    expect((await kv.keys()).filter((k) => k.includes('/data/'))).toHaveLength(10);
    expect(await kv.keys()).not.toContain('kv/mount-uuid/data/k@1');
  });

  it('honours a lowered key limit at the next write', async () => {
    const kv = createKvHarness();
    for (let i = 1; i <= 10; i++) await kv.run((s, now) => writeData(s, 'k', { data: { i } }, now));
    await kv.run((s, now) => writeMetadata(s, 'k', { max_versions: 2 }, now));
    expect(Object.keys((await kv.run((s) => readMetadata(s, 'k')))?.versions ?? {})).toHaveLength(10);
    await kv.run((s, now) => writeData(s, 'k', { data: { i: 11 } }, now));
    const meta = await kv.run((s) => readMetadata(s, 'k'));
    expect(Object.keys(meta?.versions ?? {})).toEqual(['10', '11']);
    expect(meta?.oldest_version).toBe(10);
    expect((await kv.keys()).filter((k) => k.includes('/data/'))).toEqual(['kv/mount-uuid/data/k@10', 'kv/mount-uuid/data/k@11']);
  });

  it('uses the mount limit', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeConfig(s, { max_versions: 3 }));
    for (let i = 1; i <= 5; i++) await kv.run((s, now) => writeData(s, 'k', { data: { i } }, now));
    expect(Object.keys((await kv.run((s) => readMetadata(s, 'k')))?.versions ?? {})).toEqual(['3', '4', '5']);
  });
});

describe('patchData', () => {
  it('merges onto the current version as a new version', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: { keep: 'a', drop: 'b', nested: { x: 1, y: 2 }, list: [1] } }, now));
    const result = await kv.run((s, now) => patchData(s, 'k', { data: { drop: null, nested: { y: null, z: 3 }, list: [2], add: true } }, now));
    expect(result).toMatchObject({ status: 'written', metadata: { version: 2 } });
    expect((await kv.run((s, now) => readData(s, 'k', {}, now)))?.data).toEqual({
      keep: 'a',
      nested: { x: 1, z: 3 },
      list: [2],
      add: true,
    });
  });

  it('checks in Vault order: data, key, CAS, version, deleted', async () => {
    const kv = createKvHarness();
    // 1. no data wins even for a missing key
    expect((await errorOf(() => kv.run((s, now) => patchData(s, 'nope', {}, now)))).message).toBe('no data provided');
    // 2. missing key → undefined, even with a wrong cas
    expect(await kv.run((s, now) => patchData(s, 'nope', { data: { a: 1 }, options: { cas: 9 } }, now))).toBeUndefined();
    // 3. CAS before the version checks: metadata-only key with a wrong cas
    await kv.run((s, now) => writeMetadata(s, 'meta-only', { max_versions: 1 }, now));
    expect(
      (await errorOf(() => kv.run((s, now) => patchData(s, 'meta-only', { data: { a: 1 }, options: { cas: 4 } }, now)))).message,
    ).toBe('check-and-set parameter did not match the current version');
    // 4. current version missing → undefined
    expect(await kv.run((s, now) => patchData(s, 'meta-only', { data: { a: 1 } }, now))).toBeUndefined();
    // 5. deleted / destroyed current version → refused with its metadata
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 1 } }, now));
    await kv.run((s, now) => deleteLatestData(s, 'k', now));
    expect(await kv.run((s, now) => patchData(s, 'k', { data: { a: 2 } }, now))).toEqual({
      status: 'deleted',
      metadata: {
        created_time: '2024-01-01T00:00:00Z',
        custom_metadata: null,
        deletion_time: '2024-01-01T00:00:00Z',
        destroyed: false,
        version: 1,
      },
    });
    await kv.run((s, now) => writeData(s, 'd', { data: { a: 1 } }, now));
    await kv.run((s) => destroyVersions(s, 'd', { versions: [1] }));
    expect(await kv.run((s, now) => patchData(s, 'd', { data: { a: 2 } }, now))).toMatchObject({ status: 'destroyed' });
  });

  it('honours cas_required', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 1 } }, now));
    await kv.run((s, now) => writeMetadata(s, 'k', { cas_required: true }, now));
    expect((await errorOf(() => kv.run((s, now) => patchData(s, 'k', { data: { a: 2 } }, now)))).message).toBe(
      'check-and-set parameter required for this call',
    );
    expect(await kv.run((s, now) => patchData(s, 'k', { data: { a: 2 }, options: { cas: 1 } }, now))).toMatchObject({
      status: 'written',
    });
  });
});

describe('deleteLatestData', () => {
  it('soft-deletes the current version and keeps its data for undelete', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 1 } }, now));
    kv.advance(2000);
    await kv.run((s, now) => deleteLatestData(s, 'k', now));
    const read = await kv.run((s, now) => readData(s, 'k', {}, now));
    expect(read).toEqual({
      status: 'deleted',
      data: null,
      metadata: {
        created_time: '2024-01-01T00:00:00Z',
        custom_metadata: null,
        deletion_time: '2024-01-01T00:00:02Z',
        destroyed: false,
        version: 1,
      },
    });
    await kv.run((s, now) => undeleteVersions(s, 'k', { versions: [1] }, now));
    expect(await kv.run((s, now) => readData(s, 'k', {}, now))).toMatchObject({ status: 'live', data: { a: 1 } });
  });

  it('is a no-op for a missing key, a metadata-only key, and a deleted or destroyed version', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => deleteLatestData(s, 'nope', now));
    expect(await kv.keys()).toEqual([]);
    await kv.run((s, now) => writeMetadata(s, 'm', { max_versions: 2 }, now));
    await kv.run((s, now) => deleteLatestData(s, 'm', now));
    expect((await kv.run((s) => readMetadata(s, 'm')))?.versions).toEqual({});

    await kv.run((s, now) => writeData(s, 'k', { data: { a: 1 } }, now));
    await kv.run((s, now) => deleteVersions(s, 'k', { versions: [1] }, now));
    kv.advance(5000);
    await kv.run((s, now) => deleteLatestData(s, 'k', now));
    expect((await kv.run((s) => readMetadata(s, 'k')))?.versions['1']?.deletion_time).toBe('2024-01-01T00:00:00Z');

    await kv.run((s, now) => writeData(s, 'd', { data: { a: 1 } }, now));
    await kv.run((s) => destroyVersions(s, 'd', { versions: '1' }));
    await kv.run((s, now) => deleteLatestData(s, 'd', now));
    expect((await kv.run((s) => readMetadata(s, 'd')))?.versions['1']).toMatchObject({ deletion_time: '', destroyed: true });
  });
});

describe('delete_version_after', () => {
  it('pre-fills deletion_time from the key setting; a future one still reads, a past one is deleted', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeMetadata(s, 'k', { delete_version_after: '1h' }, now));
    const written = await kv.run((s, now) => writeData(s, 'k', { data: { a: 1 } }, now));
    expect(written.metadata.deletion_time).toBe('2024-01-01T01:00:00Z');
    kv.advance(3_599_999);
    expect(await kv.run((s, now) => readData(s, 'k', {}, now))).toMatchObject({
      status: 'live',
      data: { a: 1 },
      metadata: { deletion_time: '2024-01-01T01:00:00Z' },
    });
    kv.advance(1);
    expect((await kv.run((s, now) => readData(s, 'k', {}, now)))?.status).toBe('deleted');
  });

  it('takes the smaller of mount and key values; mount -1s disables it', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeConfig(s, { delete_version_after: '10m' }));
    await kv.run((s, now) => writeMetadata(s, 'short', { delete_version_after: 60 }, now));
    await kv.run((s, now) => writeMetadata(s, 'long', { delete_version_after: '1h' }, now));
    expect((await kv.run((s, now) => writeData(s, 'short', { data: {} }, now))).metadata.deletion_time).toBe('2024-01-01T00:01:00Z');
    expect((await kv.run((s, now) => writeData(s, 'long', { data: {} }, now))).metadata.deletion_time).toBe('2024-01-01T00:10:00Z');
    expect((await kv.run((s, now) => writeData(s, 'plain', { data: {} }, now))).metadata.deletion_time).toBe('2024-01-01T00:10:00Z');
    await kv.run((s) => writeConfig(s, { delete_version_after: '-1s' }));
    expect((await kv.run((s, now) => writeData(s, 'short', { data: {} }, now))).metadata.deletion_time).toBe('');
  });

  it('applies to patches and is renewed by undelete', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeMetadata(s, 'k', { delete_version_after: '30s' }, now));
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 1 } }, now));
    kv.advance(10_000);
    const patched = await kv.run((s, now) => patchData(s, 'k', { data: { b: 2 } }, now));
    expect(patched).toMatchObject({ metadata: { deletion_time: '2024-01-01T00:00:40Z' } });
    kv.advance(60_000);
    expect((await kv.run((s, now) => readData(s, 'k', { version: 1 }, now)))?.status).toBe('deleted');
    await kv.run((s, now) => undeleteVersions(s, 'k', { versions: [1] }, now));
    expect(await kv.run((s, now) => readData(s, 'k', { version: 1 }, now))).toMatchObject({
      status: 'live',
      metadata: { deletion_time: '2024-01-01T00:01:40Z' },
    });
  });
});
