import { describe, expect, it } from 'vitest';
import { deleteLatestData, writeData } from '../../src/kv/kv-v2-data.js';
import { buildSubkeys, readSubkeys } from '../../src/kv/kv-v2-subkeys.js';
import { createKvHarness, errorOf } from './kv-harness.js';

const secret = { foo: 'x', bar: { baz: 'y', deep: { deeper: { deepest: 1 } } }, empty: {}, list: [1, 2] };

describe('buildSubkeys', () => {
  it('replaces every value with null, keeping nesting', () => {
    expect(buildSubkeys(secret, 0)).toEqual({ foo: null, bar: { baz: null, deep: { deeper: { deepest: null } } }, empty: null, list: null });
  });

  it('keeps a key named __proto__ (it was dropped)', () => {
    expect(JSON.stringify(buildSubkeys(JSON.parse('{"__proto__": {"a": 1}, "b": 2}'), 0))).toBe('{"__proto__":{"a":null},"b":null}');
  });

  it.each([
    [1, { foo: null, bar: null, empty: null, list: null }],
    [2, { foo: null, bar: { baz: null, deep: null }, empty: null, list: null }],
    [3, { foo: null, bar: { baz: null, deep: { deeper: null } }, empty: null, list: null }],
  ])('stops at depth %s', (depth, expected) => {
    expect(buildSubkeys(secret, depth)).toEqual(expected);
  });
});

describe('readSubkeys', () => {
  it('reads the structure of a version with its metadata', async () => {
    const kv = createKvHarness();
    await kv.run((s, now) => writeData(s, 'k', { data: { a: 'v1' } }, now));
    await kv.run((s, now) => writeData(s, 'k', { data: secret }, now));
    expect(await kv.run((s, now) => readSubkeys(s, 'k', { depth: '1' }, now))).toEqual({
      status: 'live',
      subkeys: { foo: null, bar: null, empty: null, list: null },
      metadata: { created_time: '2024-01-01T00:00:00Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 2 },
    });
    expect(await kv.run((s, now) => readSubkeys(s, 'k', { version: 1 }, now))).toMatchObject({ subkeys: { a: null } });
  });

  it('follows the data read rules for missing and deleted versions', async () => {
    const kv = createKvHarness();
    expect(await kv.run((s, now) => readSubkeys(s, 'k', {}, now))).toBeUndefined();
    await kv.run((s, now) => writeData(s, 'k', { data: secret }, now));
    expect(await kv.run((s, now) => readSubkeys(s, 'k', { version: 5 }, now))).toBeUndefined();
    await kv.run((s, now) => deleteLatestData(s, 'k', now));
    expect(await kv.run((s, now) => readSubkeys(s, 'k', {}, now))).toMatchObject({ status: 'deleted', subkeys: null, metadata: { version: 1 } });
  });

  it('rejects a negative or non-numeric depth', async () => {
    const kv = createKvHarness();
    expect((await errorOf(() => kv.run((s, now) => readSubkeys(s, 'k', { depth: -1 }, now)))).code).toBe('invalid_request');
    expect((await errorOf(() => kv.run((s, now) => readSubkeys(s, 'k', { depth: 'x' }, now)))).message).toMatch(/for field "depth"/);
  });
});
