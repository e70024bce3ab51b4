import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/kv/kv-v2-config.js';
import { readData, writeData } from '../../src/kv/kv-v2-data.js';
import { deleteMetadata, listKeys, patchMetadata, readMetadata, writeMetadata } from '../../src/kv/kv-v2-metadata.js';
import { deleteVersions, destroyVersions } from '../../src/kv/kv-v2-versions.js';
import { createKvHarness, errorOf } from './kv-harness.js';

const casWarning = '"cas_required" set to false, but is mandated by backend config. This value will be ignored.';

describe('readMetadata', () => {
  it('reports versions, settings and times in wire form', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 1 } }, now));
    kv.advance(1000);
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 2 } }, now));
    await kv.run((s, now) => deleteVersions(s, 'k', { versions: [1] }, now));
    kv.advance(1000);
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 3 } }, now));
    await kv.run((s) => destroyVersions(s, 'k', { versions: [3] }));
    expect(await kv.run((s) => readMetadata(s, 'k'))).toEqual({
      cas_required: false,
      created_time: '2024-01-01T00:00:00Z',
      current_version: 3,
      custom_metadata: null,
      delete_version_after: '0s',
      max_versions: 0,
      oldest_version: 0,
      updated_time: '2024-01-01T00:00:02Z',
      versions: {
        '1': { created_time: '2024-01-01T00:00:00Z', deletion_time: '2024-01-01T00:00:01Z', destroyed: false },
        '2': { created_time: '2024-01-01T00:00:01Z', deletion_time: '', destroyed: false },
        '3': { created_time: '2024-01-01T00:00:02Z', deletion_time: '', destroyed: true },
      },
    });
    expect(await kv.run((s) => readMetadata(s, 'missing'))).toBeUndefined();
  });
});

describe('writeMetadata', () => {
  it('creates a key with no versions and the given settings', async () => {
    const kv = createKvHarness();
    const result = await kv.run((s, now) =>
      writeMetadata(s, 'k', { max_versions: '5', cas_required: 'true', delete_version_after: '1h30m', custom_metadata: { owner: 'ops', n: 2 } }, now),
    );
    expect(result).toEqual({ warnings: [] });
    expect(await kv.run((s) => readMetadata(s, 'k'))).toMatchObject({
      cas_required: true,
      current_version: 0,
      custom_metadata: { n: '2', owner: 'ops' },
      delete_version_after: '1h30m0s',
      max_versions: 5,
      oldest_version: 0,
      versions: {},
    });
  });

  it('does nothing without any of the four fields', async () => {
    const kv = createKvHarness();
    expect(await kv.run((s, now) => writeMetadata(s, 'k', { unrelated: 1 } as object, now))).toEqual({ warnings: [] });
    expect(await kv.run((s, now) => writeMetadata(s, 'k', { max_versions: null }, now))).toEqual({ warnings: [] });
    expect(await kv.keys()).toEqual([]);
  });

  it('replaces custom_metadata as a whole; empty reads as null', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeMetadata(s, 'k', { custom_metadata: { a: '1', b: '2' } }, now));
    await kv.run((s, now) => writeMetadata(s, 'k', { custom_metadata: { c: '3' } }, now));
    expect((await kv.run((s) => readMetadata(s, 'k')))?.custom_metadata).toEqual({ c: '3' });
    await kv.run((s, now) => writeMetadata(s, 'k', { custom_metadata: {} }, now));
    expect((await kv.run((s) => readMetadata(s, 'k')))?.custom_metadata).toBeNull();
  });

  it('shows custom_metadata in version metadata', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeMetadata(s, 'k', { custom_metadata: { team: 'a' } }, now));
    const written = await kv.run((s, now) => writeData(s, 'k', { data: {} }, now));
    expect(written.metadata.custom_metadata).toEqual({ team: 'a' });
  });

  it('leaves other settings untouched', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeMetadata(s, 'k', { max_versions: 4, custom_metadata: { a: 'b' } }, now));
    await kv.run((s, now) => writeMetadata(s, 'k', { cas_required: true }, now));
    expect(await kv.run((s) => readMetadata(s, 'k'))).toMatchObject({ max_versions: 4, cas_required: true, custom_metadata: { a: 'b' } });
  });

  it('warns when cas_required false is overridden by the mount, and still stores it', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeConfig(s, { cas_required: true }));
    expect(await kv.run((s, now) => writeMetadata(s, 'k', { cas_required: false }, now))).toEqual({ warnings: [casWarning] });
    expect((await kv.run((s) => readMetadata(s, 'k')))?.cas_required).toBe(false);
    expect(await kv.run((s, now) => writeMetadata(s, 'k', { cas_required: true }, now))).toEqual({ warnings: [] });
  });

  it('rejects bad fields with Vault texts and stores nothing', async () => {
    const kv = createKvHarness();
    const cases: [object, string][] = [
      [{ delete_version_after: '-1s' }, 'Field validation failed: error converting input -1s for field "delete_version_after": cannot provide negative value'],
      [{ max_versions: 'many' }, `Field validation failed: error converting input many for field "max_versions": cannot parse '' as int: strconv.ParseInt: parsing "many": invalid syntax`],
      [{ max_versions: 1.5 }, 'Field validation failed: error converting input 1.5 for field "max_versions": error decoding json.Number into : strconv.ParseInt: parsing "1.5": invalid syntax'],
      [{ cas_required: 'maybe' }, `Field validation failed: error converting input maybe for field "cas_required": cannot parse '' as bool: strconv.ParseBool: parsing "maybe": invalid syntax`],
      [{ custom_metadata: { k: '' } }, '1 error occurred:\n\t* custom_metadata validation failed: length of value for key "k" is 0 but must be 0 < len(value) <= 512\n\n'],
    ];
    for (const [input, message] of cases) {
      const error = await errorOf(() => kv.run((s, now) => writeMetadata(s, 'k', input, now)));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toBe(message);
    }
    expect(await kv.keys()).toEqual([]);
  });
});

describe('patchMetadata', () => {
  it('is undefined for a missing key', async () => {
    const kv = createKvHarness();
    expect(await kv.run((s) => patchMetadata(s, 'k', { max_versions: 2 }))).toBeUndefined();
    expect(await kv.keys()).toEqual([]);
  });

  it('changes only given fields and merges custom_metadata key-wise', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeMetadata(s, 'k', { max_versions: 3, delete_version_after: '1m', custom_metadata: { a: '1', b: '2' } }, now));
    expect(await kv.run((s) => patchMetadata(s, 'k', { cas_required: true, custom_metadata: { a: null, c: 3 } }))).toEqual({ warnings: [] });
    expect(await kv.run((s) => readMetadata(s, 'k'))).toMatchObject({
      max_versions: 3,
      cas_required: true,
      delete_version_after: '1m0s',
      custom_metadata: { b: '2', c: '3' },
    });
    await kv.run((s) => patchMetadata(s, 'k', { delete_version_after: '0s', custom_metadata: { b: null, c: null } }));
    expect(await kv.run((s) => readMetadata(s, 'k'))).toMatchObject({ delete_version_after: '0s', custom_metadata: null });
  });

  it('validates custom_metadata and warns about cas like a write', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeMetadata(s, 'k', { max_versions: 1 }, now));
    expect((await errorOf(() => kv.run((s) => patchMetadata(s, 'k', { custom_metadata: { ['x'.repeat(129)]: 'v' } })))).message).toMatch(
      /^1 error occurred:\n\t\* custom_metadata validation failed: length of key "x+" is 129/,
    );
    await kv.run((s) => writeConfig(s, { cas_required: true }));
    expect(await kv.run((s) => patchMetadata(s, 'k', { cas_required: false }))).toEqual({ warnings: [casWarning] });
  });
});

describe('deleteMetadata', () => {
  it('removes every version and the key; the next write is version 1', async () => {
    const kv = createKvHarness();
    for (let i = 0; i < 3; i++) await kv.run((s, now) => writeData(s, 'k', { data: { i } }, now));
    await kv.run((s) => deleteMetadata(s, 'k'));
    expect(await kv.keys()).toEqual([]);
    expect(await kv.run((s, now) => readData(s, 'k', {}, now))).toBeUndefined();
    expect((await kv.run((s, now) => writeData(s, 'k', { data: {} }, now))).metadata.version).toBe(1);
    await kv.run((s) => deleteMetadata(s, 'missing'));
  });
});

describe('listKeys', () => {
  it('lists immediate children with folders, including deleted and metadata-only keys', async () => {
    const kv = createKvHarness();
    for (const key of ['a', 'b', 'b/c', 'b/d/e', 'z/y']) await kv.run((s, now) => writeData(s, key, { data: {} }, now));
    await kv.run((s, now) => writeMetadata(s, 'm', { max_versions: 1 }, now));
    await kv.run((s, now) => deleteVersions(s, 'a', { versions: [1] }, now));
    await kv.run((s) => destroyVersions(s, 'z/y', { versions: [1] }));
    expect(await kv.run((s) => listKeys(s, ''))).toEqual(['a', 'b', 'b/', 'm', 'z/']);
    expect(await kv.run((s) => listKeys(s, 'b/'))).toEqual(['c', 'd/']);
    expect(await kv.run((s) => listKeys(s, 'b'))).toEqual(['c', 'd/']);
    expect(await kv.run((s) => listKeys(s, 'nothing/'))).toEqual([]);
  });
});
