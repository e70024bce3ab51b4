import { describe, expect, it } from 'vitest';
import { deleteV1, listV1, readV1, v1LeaseSeconds, writeV1 } from '../../src/kv/kv-v1.js';
import { createKvHarness, errorOf } from './kv-harness.js';

describe('KV v1', () => {
  it('writes, reads (replacing the whole object) and deletes', async () => {
    const kv = createKvHarness();
    await kv.run((s) => writeV1(s, 'app/db', { user: 'u', pass: 'p' }));
    await kv.run((s) => writeV1(s, 'app/db', { user: 'v' }));
    expect(await kv.run((s) => readV1(s, 'app/db'))).toEqual({ user: 'v' });
    await kv.run((s) => deleteV1(s, 'app/db'));
    expect(await kv.run((s) => readV1(s, 'app/db'))).toBeUndefined();
    await kv.run((s) => deleteV1(s, 'never'));
  });

  it('refuses an empty write', async () => {
    const kv = createKvHarness();
    for (const body of [{}, undefined, null]) {
      const error = await errorOf(() => kv.run((s) => writeV1(s, 'k', body)));
      expect(error.message).toBe('missing data fields');
    }
    expect(await kv.keys()).toEqual([]);
  });

  it('lists children with folders', async () => {
    const kv = createKvHarness();
    for (const key of ['a', 'a/b', 'c/d/e']) await kv.run((s) => writeV1(s, key, { x: 1 }));
    expect(await kv.run((s) => listV1(s, ''))).toEqual(['a', 'a/', 'c/']);
    expect(await kv.run((s) => listV1(s, 'c'))).toEqual(['d/']);
  });

  it('derives the lease from ttl or lease', () => {
    expect(v1LeaseSeconds({ ttl: '1h' })).toBe(3600);
    expect(v1LeaseSeconds({ lease: 30 })).toBe(30);
    expect(v1LeaseSeconds({ ttl: 'nonsense' })).toBe(0);
    expect(v1LeaseSeconds({ a: 'b' })).toBe(0);
  });
});
