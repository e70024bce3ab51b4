import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/token-store.js';
import { startTokenTidy } from '../../src/http/token-tidy-timer.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { waitFor } from '../helpers/wait-for.js';

const clock = { now: 0, random: (n: number) => new Uint8Array(randomBytes(n)) };

describe('startTokenTidy', () => {
  it('sweeps dead tokens from the store when it starts, and leaves live ones', async () => {
    const store = createMemoryStore();
    const dead = await store.update((storage) => issueToken(storage, { policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 1 }, clock).caller.record);
    const live = await store.update((storage) => issueToken(storage, { policies: ['default'], displayName: 'token', path: 'auth/token/create', ttl: 3600 }, clock).caller.record);
    const logged: string[] = [];
    const timer = startTokenTidy({ store, now: () => 10_000, logError: (line) => logged.push(line) });
    await waitFor('the expired token to be swept', () => store.read((storage) => storage.get(`sys/token/id/${dead.hash}`) === undefined));
    await timer.stop();
    expect(await store.read((storage) => storage.get(`sys/token/id/${live.hash}`))).toBeDefined();
    expect(logged).toEqual([]);
  });
});
