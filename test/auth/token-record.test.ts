import { describe, expect, it } from 'vitest';
import { buildRandomId, buildToken, hashesEqual, hashToken } from '../../src/auth/token-id.js';
import { parseTokenRecord, readStoredRecord } from '../../src/auth/token-record.js';
import { renderAuthBlock, renderTokenLookup } from '../../src/auth/token-render.js';
import { createRootToken, hasRootToken, issueToken, readLiveToken } from '../../src/auth/token-store.js';
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
  it('stores only hashes: the record under the token hash, the accessor under its own hash', async () => {
    const store = createMemoryStore();
    const { token, record } = await store.update((storage) => createRootToken(storage, { now: 1_000, random: counter() }));
    const keys = await store.read((storage) => storage.list('sys/token/'));
    expect(keys).toHaveLength(2);
    expect(keys).toContain(`sys/token/id/${hashToken(token)}`);
    expect(keys.join('\n')).not.toContain(record.accessor);
    const stored = await store.read((storage) => keys.map((key) => JSON.stringify(storage.get(key))).join('\n'));
    expect(stored).not.toContain(token);
    expect(await store.read((storage) => readLiveToken(storage, token, 2_000)?.policies)).toEqual(['root']);
    expect(await store.read((storage) => readLiveToken(storage, `${token}x`, 2_000))).toBeUndefined();
    expect(await store.read((storage) => hasRootToken(storage, 2_000))).toBe(true);
  });

  it('expires tokens at their TTL, and a root token with no TTL never', async () => {
    const store = createMemoryStore();
    const { caller } = await store.update((storage) => issueToken(storage, { policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 60 }, { now: 0, random: counter() }));
    expect(await store.read((storage) => readLiveToken(storage, caller.token, 59_999))).toBeDefined();
    expect(await store.read((storage) => readLiveToken(storage, caller.token, 60_000))).toBeUndefined();
    expect(await store.read((storage) => readStoredRecord(storage, caller.token))).toBeDefined();
    expect(await store.read((storage) => hasRootToken(storage, 0))).toBe(false);
    expect(renderAuthBlock(caller, 60)).toMatchObject({ lease_duration: 60, renewable: true, policies: ['default'], token_policies: ['default'], token_type: 'service', orphan: true });
  });

  it('reads records written before tokens had leases and parents as the orphans they were', () => {
    const legacy = {
      hash: 'h', accessor: 'a', policies: ['root'], display_name: 'root', path: 'auth/token/root', created_ms: 5, creation_ttl: 0,
      expire_ms: null, explicit_max_ttl: 0, renewable: false, meta: null, orphan: true,
    };
    expect(parseTokenRecord(legacy)).toMatchObject({ ttl: 0, issue_ms: null, parent: null, num_uses: 0, period: 0, bound_cidrs: [] });
    expect(parseTokenRecord({ ...legacy, path: 'auth/token/create', creation_ttl: 60, expire_ms: 60_005 })).toMatchObject({ ttl: 60, issue_ms: 5, lease_ttl: 60 });
    expect(parseTokenRecord({ accessor: 'a' })).toBeUndefined();
    expect(parseTokenRecord('text')).toBeUndefined();
  });

  it('renders lookup-self for a root token as Vault does: no lease fields', async () => {
    const store = createMemoryStore();
    const caller = await store.update((storage) => createRootToken(storage, { now: 1_714_557_600_000, random: counter() }, 'my-root'));
    expect(renderTokenLookup(caller.record, 'my-root', 1_714_557_700_000)).toEqual({
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

  it('renders a leased token with its issue and expiry times, renewability and remaining TTL', async () => {
    const store = createMemoryStore();
    const start = Date.UTC(2024, 4, 1, 10, 0, 0, 123);
    const { caller } = await store.update((storage) =>
      issueToken(storage, { policies: ['default', 'dev'], displayName: 'token-ci', path: 'auth/token/create', ttl: 3600, numUses: 3, period: 0, meta: { team: 'a' } }, { now: start, random: counter() }),
    );
    expect(renderTokenLookup(caller.record, caller.token, start + 10_000)).toMatchObject({
      creation_ttl: 3600,
      display_name: 'token-ci',
      expire_time: '2024-05-01T11:00:00.123Z',
      issue_time: '2024-05-01T10:00:00.123Z',
      meta: { team: 'a' },
      num_uses: 3,
      renewable: true,
      ttl: 3590,
    });
  });
});
