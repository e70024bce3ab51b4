import { describe, expect, it } from 'vitest';
import {
  addVersion,
  createKeyMetadata,
  effectiveMaxVersions,
  renderVersionMetadata,
  versionStatus,
} from '../../src/kv/key-metadata.js';
import type { KeyMetadata } from '../../src/kv/key-metadata.js';
import { t0 } from './kv-harness.js';

function writeVersions(meta: KeyMetadata, count: number, mountMax = 0): { meta: KeyMetadata; pruned: number[] } {
  let current = meta;
  const pruned: number[] = [];
  for (let i = 0; i < count; i++) {
    const added = addVersion(current, t0 + i, null, mountMax);
    current = added.metadata;
    pruned.push(...added.pruned);
  }
  return { meta: current, pruned };
}

describe('effectiveMaxVersions', () => {
  it.each([
    [0, 0, 10],
    [3, 0, 3],
    [0, 4, 4],
    [2, 5, 5],
    [7, 5, 7],
  ])('key %s, mount %s → %s', (key, mount, limit) => {
    expect(effectiveMaxVersions(key, mount)).toBe(limit);
  });
});

describe('addVersion', () => {
  it('numbers versions from 1 and sets times', () => {
    const { metadata, version } = addVersion(createKeyMetadata('a', t0), t0 + 5, null, 0);
    expect(version).toBe(1);
    expect(metadata.current_version).toBe(1);
    expect(metadata.updated_time).toBe(t0 + 5);
    expect(metadata.created_time).toBe(t0);
  });

  it('keeps oldest_version 0 for writes 1–9, 1 after write 10, prunes version 1 at write 11', () => {
    const nine = writeVersions(createKeyMetadata('a', t0), 9);
    expect(nine.meta.oldest_version).toBe(0);
    expect(Object.keys(nine.meta.versions)).toHaveLength(9);
    const ten = writeVersions(nine.meta, 1);
    expect(ten.meta.oldest_version).toBe(1);
    expect(Object.keys(ten.meta.versions).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ten.pruned).toEqual([]);
    const eleven = writeVersions(ten.meta, 1);
    expect(eleven.meta.oldest_version).toBe(2);
    expect(eleven.meta.versions['1']).toBeUndefined();
    expect(eleven.pruned).toEqual([1]);
  });

  it('prunes several versions at once after the key limit is lowered', () => {
    const ten = writeVersions(createKeyMetadata('a', t0), 10);
    const lowered = { ...ten.meta, max_versions: 2 };
    const eleven = writeVersions(lowered, 1);
    expect(Object.keys(eleven.meta.versions).map(Number)).toEqual([10, 11]);
    expect(eleven.meta.oldest_version).toBe(10);
    expect(eleven.pruned).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('uses the larger of key and mount limits', () => {
    const meta = { ...createKeyMetadata('a', t0), max_versions: 2 };
    const { meta: after } = writeVersions(meta, 5, 4);
    expect(Object.keys(after.versions).map(Number)).toEqual([2, 3, 4, 5]);
  });

  it('does not modify its input', () => {
    const meta = createKeyMetadata('a', t0);
    addVersion(meta, t0, null, 0);
    expect(meta.current_version).toBe(0);
    expect(meta.versions).toEqual({});
  });
});

describe('versionStatus', () => {
  it.each([
    [{ created_time: t0, deletion_time: null, destroyed: false }, 'live'],
    [{ created_time: t0, deletion_time: t0 + 1, destroyed: false }, 'live'],
    [{ created_time: t0, deletion_time: t0, destroyed: false }, 'deleted'],
    [{ created_time: t0, deletion_time: null, destroyed: true }, 'destroyed'],
  ] as const)('%j → %s', (record, status) => {
    expect(versionStatus({ ...record }, t0)).toBe(status);
  });
});

describe('renderVersionMetadata', () => {
  it('uses wire names and formats', () => {
    const meta = { ...createKeyMetadata('a', t0), custom_metadata: {} };
    expect(renderVersionMetadata(meta, 3, { created_time: t0 + 500, deletion_time: null, destroyed: false })).toEqual({
      created_time: '2024-01-01T00:00:00.5Z',
      custom_metadata: null,
      deletion_time: '',
      destroyed: false,
      version: 3,
    });
  });
});
