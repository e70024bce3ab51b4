import { describe, expect, it } from 'vitest';
import { readData, writeData } from '../../src/kv/kv-v2-data.js';
import { readMetadata } from '../../src/kv/kv-v2-metadata.js';
import { deleteVersions, destroyVersions, parseVersions, undeleteVersions } from '../../src/kv/kv-v2-versions.js';
import { createKvHarness, errorOf } from './kv-harness.js';

async function threeVersions() {
  const kv = createKvHarness();
  for (let i = 1; i <= 3; i++) await kv.run((s, now) => writeData(s, 'k', { data: { i } }, now));
  return kv;
}

describe('parseVersions', () => {
  it.each([
    [[1, 2], [1, 2]],
    [['1', '2'], [1, 2]],
    [3, [3]],
    ['1,2', [1, 2]],
    ['4', [4]],
    [[], []],
    ['', []],
    [undefined, []],
    [null, []],
  ])('%j → %j', (raw, versions) => {
    expect(parseVersions(raw)).toEqual(versions);
  });

  it('refuses non-numbers with Vault field text', async () => {
    const error = await errorOf(() => parseVersions('1,x'));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^Field validation failed: error converting input 1,x for field "versions": /);
    expect((await errorOf(() => parseVersions([true]))).message).toMatch(/for field "versions"/);
  });
});

describe('deleteVersions', () => {
  it('soft-deletes the listed versions and skips unknown ones', async () => {
    const kv = await threeVersions();
    await kv.run((s, now) => deleteVersions(s, 'k', { versions: [1, 3, 42] }, now));
    const meta = await kv.run((s) => readMetadata(s, 'k'));
    expect(meta?.versions['1']?.deletion_time).toBe('2024-01-01T00:00:00Z');
    expect(meta?.versions['2']?.deletion_time).toBe('');
    expect(meta?.versions['3']?.deletion_time).toBe('2024-01-01T00:00:00Z');
    expect((await kv.run((s, now) => readData(s, 'k', {}, now)))?.status).toBe('deleted');
  });

  it('keeps the first deletion time of an already-deleted version', async () => {
    const kv = await threeVersions();
    await kv.run((s, now) => deleteVersions(s, 'k', { versions: '1' }, now));
    kv.advance(5000);
    await kv.run((s, now) => deleteVersions(s, 'k', { versions: '1,2' }, now));
    const meta = await kv.run((s) => readMetadata(s, 'k'));
    expect(meta?.versions['1']?.deletion_time).toBe('2024-01-01T00:00:00Z');
    expect(meta?.versions['2']?.deletion_time).toBe('2024-01-01T00:00:05Z');
  });

  it('requires versions (capital N) and ignores a missing key', async () => {
    const kv = createKvHarness();
    expect((await errorOf(() => kv.run((s, now) => deleteVersions(s, 'k', {}, now)))).message).toBe('No version number provided');
    await kv.run((s, now) => deleteVersions(s, 'missing', { versions: [1] }, now));
    expect(await kv.keys()).toEqual([]);
  });
});

describe('undeleteVersions', () => {
  it('restores deleted versions but not destroyed ones', async () => {
    const kv = await threeVersions();
    await kv.run((s, now) => deleteVersions(s, 'k', { versions: [1, 2] }, now));
    await kv.run((s) => destroyVersions(s, 'k', { versions: [2] }));
    await kv.run((s, now) => undeleteVersions(s, 'k', { versions: ['1', '2', '9'] }, now));
    expect(await kv.run((s, now) => readData(s, 'k', { version: 1 }, now))).toMatchObject({ status: 'live', data: { i: 1 } });
    expect(await kv.run((s, now) => readData(s, 'k', { version: 2 }, now))).toMatchObject({
      status: 'destroyed',
      metadata: { destroyed: true, deletion_time: '2024-01-01T00:00:00Z' },
    });
  });

  it('requires versions (capital N) and ignores a missing key', async () => {
    const kv = createKvHarness();
    expect((await errorOf(() => kv.run((s, now) => undeleteVersions(s, 'k', { versions: [] }, now)))).message).toBe(
      'No version number provided',
    );
    await kv.run((s, now) => undeleteVersions(s, 'missing', { versions: 1 }, now));
    expect(await kv.keys()).toEqual([]);
  });
});

describe('destroyVersions', () => {
  it('marks versions destroyed, removes their data and keeps the key listed', async () => {
    const kv = await threeVersions();
    await kv.run((s) => destroyVersions(s, 'k', { versions: [1, 3] }));
    expect(await kv.run((s, now) => readData(s, 'k', {}, now))).toEqual({
      status: 'destroyed',
      data: null,
      metadata: { created_time: '2024-01-01T00:00:00Z', custom_metadata: null, deletion_time: '', destroyed: true, version: 3 },
    });
    expect((await kv.keys()).filter((k) => k.includes('/data/'))).toEqual(['kv/mount-uuid/data/k@2']);
    expect((await kv.run((s) => readMetadata(s, 'k')))?.current_version).toBe(3);
  });

  it('requires versions (lower-case n) and ignores a missing key', async () => {
    const kv = createKvHarness();
    expect((await errorOf(() => kv.run((s) => destroyVersions(s, 'k', { versions: '' })))).message).toBe(
      'no version number provided',
    );
    await kv.run((s) => destroyVersions(s, 'missing', { versions: [1] }));
    expect(await kv.keys()).toEqual([]);
  });
});
