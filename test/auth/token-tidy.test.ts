import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/token-store.js';
import { isTidyNeeded, planTidy, tidyTokens } from '../../src/auth/token-tidy.js';
import { createMemoryStore } from '../../src/store/memory-store.js';

const clock = { now: 0, random: (n: number) => new Uint8Array(randomBytes(n)) };

describe('tidyTokens', () => {
  it('removes expired tokens with their descendants and dangling index entries, and nothing else', async () => {
    const store = createMemoryStore();
    const short = await store.update((storage) => issueToken(storage, { policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 10 }, clock).caller.record);
    await store.update((storage) => issueToken(storage, { policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 3600, parent: short }, clock));
    const kept = await store.update((storage) => issueToken(storage, { policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 3600 }, clock).caller.record);
    await store.update((storage) => {
      storage.put('sys/token/accessor/0000', { accessor: 'gone', hash: 'nothing' });
      storage.put(`sys/token/parent/${kept.hash}/nothing`, true);
    });
    expect(isTidyNeeded(await store.read((storage) => planTidy(storage, 5_000)))).toBe(true);
    const removed = await store.update((storage) => tidyTokens(storage, 10_000));
    expect(removed.tokens.length).toBeGreaterThanOrEqual(2);
    const left = await store.read((storage) => storage.list('sys/token/'));
    expect(left).toEqual(expect.arrayContaining([`sys/token/id/${kept.hash}`]));
    expect(left).toHaveLength(2);
    expect(isTidyNeeded(await store.read((storage) => planTidy(storage, 10_000)))).toBe(false);
  });
});
