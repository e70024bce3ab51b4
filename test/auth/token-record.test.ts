import { describe, expect, it } from 'vitest';
import { buildRandomId, buildToken, hashesEqual, hashToken } from '../../src/auth/token-id.js';
import { createRootToken, createToken, hasRootToken, readTokenRecord, renderAuthBlock, renderTokenLookup } from '../../src/auth/token-record.js';
import { createMemoryStore } from '../../src/store/memory-store.js';

// Deterministic "randomness": a counter, so tokens are predictable in tests.
function counter(): (n: number) => Uint8Array {
  let next = 0;
  return (n) => Uint8Array.from({ length: n }, () => next++ % 256);
}

describe('token ids', () => {
  it('builds hvs. tokens of 24 base62 characters', () => {
    expect(buildToken(counter())).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
    expect(buildRandomId(() => new Uint8Array([255, 250, 248, 0, 61, 62]), 3)).toBe('A9A');
  });

  it('hashes tokens and compares hashes', () => {
    expect(hashToken('root')).toBe('4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2');
    expect(hashesEqual(hashToken('a'), hashToken('a'))).toBe(true);
    expect(hashesEqual(hashToken('a'), hashToken('b'))).toBe(false);
    expect(hashesEqual('abc', 'abcd')).toBe(false);
  });
});

describe('token records', () => {
  it('stores only the hash and finds the record by the token', async () => {
    const store = createMemoryStore();
    const { token } = await store.update((storage) => createRootToken(storage, { now: 1_000, random: counter() }));
    const keys = await store.read((storage) => storage.list('sys/token/'));
    expect(keys).toEqual([`sys/token/id/${hashToken(token)}`]);
    const stored = await store.read((storage) => JSON.stringify(storage.get(keys[0] as string)));
    expect(stored).not.toContain(token);
    expect(await store.read((storage) => readTokenRecord(storage, token, 2_000)?.policies)).toEqual(['root']);
    expect(await store.read((storage) => readTokenRecord(storage, `${token}x`, 2_000))).toBeUndefined();
    expect(await store.read((storage) => hasRootToken(storage, 2_000))).toBe(true);
  });

  it('expires tokens with a TTL', async () => {
    const store = createMemoryStore();
    const child = await store.update((storage) =>
      createToken(storage, { policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 60, renewable: true }, { now: 0, random: counter() }),
    );
    expect(await store.read((storage) => readTokenRecord(storage, child.token, 59_999))).toBeDefined();
    expect(await store.read((storage) => readTokenRecord(storage, child.token, 60_000))).toBeUndefined();
    expect(await store.read((storage) => hasRootToken(storage, 0))).toBe(false);
    expect(renderAuthBlock(child, 30_000)).toMatchObject({ lease_duration: 30, renewable: true, policies: ['default'], token_type: 'service' });
  });

  it('renders lookup-self for a root token as Vault does', async () => {
    const store = createMemoryStore();
    const caller = await store.update((storage) => createRootToken(storage, { now: 1_714_557_600_000, random: counter() }, 'my-root'));
    expect(renderTokenLookup(caller, 1_714_557_700_000)).toEqual({
      accessor: caller.record.accessor,
      creation_time: 1_714_557_600,
      creation_ttl: 0,
      display_name: 'root',
      entity_id: '',
      expire_time: null,
      explicit_max_ttl: 0,
      id: 'my-root',
      meta: null,
      num_uses: 0,
      orphan: true,
      path: 'auth/token/root',
      policies: ['root'],
      ttl: 0,
      type: 'service',
    });
  });
});
