import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readStoredRecord, type TokenRecord } from '../../src/auth/token-record.js';
import { issueToken, readLiveByAccessor, readLiveToken } from '../../src/auth/token-store.js';
import { listChildren, revokeOrphan, revokeTree } from '../../src/auth/token-tree.js';
import { createMemoryStore } from '../../src/store/memory-store.js';

const clock = { now: 0, random: (n: number) => new Uint8Array(randomBytes(n)) };

// root-made token `a` with children `b` (which has `c`) and `d`, and an orphan `o`.
async function family() {
  const store = createMemoryStore();
  const make = (id: string, parent?: TokenRecord, ttl = 3600) =>
    store.update((storage) => issueToken(storage, { id, policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl, ...(parent ? { parent } : {}) }, clock).caller.record);
  const a = await make('a');
  const b = await make('b', a, 60);
  await make('c', b);
  await make('d', a);
  await make('o');
  const live = () => store.read((storage) => ['a', 'b', 'c', 'd', 'o'].filter((id) => readLiveToken(storage, id, 1_000) !== undefined));
  return { store, a, b, live };
}

describe('the token tree', () => {
  it('revoking a parent takes every descendant; orphans survive', async () => {
    const { store, a, live } = await family();
    expect(await store.read((storage) => listChildren(storage, a.hash))).toHaveLength(2);
    expect(await store.update((storage) => revokeTree(storage, a.hash))).toBe(4);
    expect(await live()).toEqual(['o']);
    expect(await store.read((storage) => storage.list('sys/token/parent/'))).toEqual([]);
    expect(await store.read((storage) => readLiveByAccessor(storage, a.accessor, 0))).toBeUndefined();
  });

  it('revoke-orphan takes only the token; its children become orphans and live on', async () => {
    const { store, a, live } = await family();
    await store.update((storage) => revokeOrphan(storage, a.hash));
    expect(await live()).toEqual(['b', 'c', 'd', 'o']);
    expect(await store.read((storage) => readStoredRecord(storage, 'b')?.parent)).toBeNull();
  });

  it('a token dies with an expired ancestor, as Vault revokes the tree at expiry', async () => {
    const { store } = await family();
    const at = (ms: number) => store.read((storage) => ['a', 'b', 'c', 'd'].filter((id) => readLiveToken(storage, id, ms) !== undefined));
    expect(await at(59_000)).toEqual(['a', 'b', 'c', 'd']);
    // b expires at 60s: c, created with an hour, goes with it.
    expect(await at(60_000)).toEqual(['a', 'd']);
  });

  it('survives a cycle in a hand-edited index', async () => {
    const { store, a, b } = await family();
    await store.update((storage) => storage.put(`sys/token/parent/${b.hash}/${a.hash}`, true));
    expect(await store.update((storage) => revokeTree(storage, a.hash))).toBe(4);
  });
});
