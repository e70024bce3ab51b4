import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessorPrefix } from '../../src/auth/token-accessor.js';
import { tokenStorageKey } from '../../src/auth/token-record.js';
import { SecretrunError } from '../../src/errors.js';
import { compareGoStrings } from '../../src/go/string-order.js';
import { openFileStore } from '../../src/store/file-store.js';
import { rekeyStore } from '../../src/store/rekey-store.js';
import { rotateStore } from '../../src/store/rotate-store.js';
import { isRuntimeKey, runtimePrefixes } from '../../src/store/state-routing.js';
import { journalPathOf, stateDirOf, statePathOf } from '../../src/store/store-paths.js';
import { authConfigPrefix, authStatePrefix, type AuthMethod } from '../../src/sys/auth-methods.js';
import { entryKeysOf, makeStoreEnv, secretrunErrorOf } from './store-test-env.js';

// Runtime state (tokens today) lives in the state file beside the store, never in the store
// file a team commits; everything else the other way round.

const journalSettings = { records: 1e9, bytes: 1e12, ms: 1e9 };


describe('state routing', () => {
  it('puts a key under every runtime prefix in the state file and nowhere else, and other keys in the store file only', async () => {
    for (const journal of [false, true]) {
      const { path, env } = makeStoreEnv();
      const store = await openFileStore({ path, env, create: true, journal: journal && journalSettings });
      await store.update((s) => s.put('sys/mounts', { created: true }));
      const runtime = runtimePrefixes.map((prefix) => `${prefix}id/PLAINTEXT-name`);
      await store.update((s) => {
        for (const key of runtime) s.put(key, { value: 'PLAINTEXT-runtime' });
        s.put('kv/uuid/data/app@1', { value: 'PLAINTEXT-secret' });
      });
      await store.close();
      expect(existsSync(journalPathOf(path))).toBe(false);
      expect(entryKeysOf(path)).toEqual(['kv/uuid/data/app@1', 'sys/mounts']);
      expect(entryKeysOf(statePathOf(path))).toEqual(runtime);
      for (const file of [path, statePathOf(path)]) expect(readFileSync(file, 'utf8')).not.toContain('PLAINTEXT-runtime');
      expect(runtime.every((key) => isRuntimeKey(key, runtimePrefixes))).toBe(true);
      expect(isRuntimeKey('sys/mounts', runtimePrefixes)).toBe(false);
      const reader = await openFileStore({ path, env });
      expect(await reader.read((s) => [s.list('sys/'), s.get(runtime[0] as string)])).toEqual([['sys/mounts', ...runtime].sort(compareGoStrings), { value: 'PLAINTEXT-runtime' }]);
    }
  });

  it('routes what logins, AppRole secret-ids, token renewals and leases write to the state file', () => {
    const method = { uuid: '0b6c3f1e-0000-4000-8000-000000000001' } as AuthMethod;
    // Written at run time: a token record and its accessor and parent index, a secret-id and
    // its accessor (use counts live in the secret-id entry), a lease.
    for (const key of [tokenStorageKey('ab12'), `${accessorPrefix}cd34`, 'sys/token/parent/ab12/ef56', `${authStatePrefix(method)}secret-id/ci/0a1b`, `${authStatePrefix(method)}accessor/9f8e`, 'sys/lease/database/creds/app/xyz']) {
      expect(isRuntimeKey(key, runtimePrefixes), key).toBe(true);
    }
    // A person's decisions: the auth table, users, roles and their role_id index, policies, mounts, secrets.
    for (const key of ['sys/auth-methods', `${authConfigPrefix(method)}user/alice`, `${authConfigPrefix(method)}role/ci`, `${authConfigPrefix(method)}role-id/0a1b`, `${authConfigPrefix(method)}salt`, 'sys/policy/reader', 'sys/mounts', 'kv/uuid/data/app@1', 'sys/leases']) {
      expect(isRuntimeKey(key, runtimePrefixes), key).toBe(false);
    }
    expect([...runtimePrefixes].sort(compareGoStrings)).toEqual(runtimePrefixes);
  });

  it('keeps the state file and the journal in a private, git-ignored directory beside the store', async () => {
    const { path, env } = makeStoreEnv();
    const store = await openFileStore({ path, env, create: true, journal: journalSettings });
    await store.update((s) => s.put('secret', 1));
    await store.update((s) => s.put('sys/token/id/x', 1));
    const dir = stateDirOf(path);
    expect(dir).toBe(join(path, '..', 'state'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('*\n');
    expect(statSync(journalPathOf(path)).mode & 0o777).toBe(0o600);
    await store.close();
    expect(statSync(statePathOf(path)).mode & 0o777).toBe(0o600);
    // A store elsewhere than a .secretrun directory gets a directory of its own name beside it.
    expect(statePathOf('/project/prod.json')).toBe('/project/.secretrun-state/prod.json');
    expect(journalPathOf('/project/.secretrun/store.json')).toBe('/project/.secretrun/state/store.json.journal');
  });

  it('moves the runtime keys of a store written before the state file on its next write, reading them until then', async () => {
    for (const journal of [false, true]) {
      const { path, env } = makeStoreEnv();
      // Written as before: every key in the store file.
      const old = await openFileStore({ path, env, create: true, runtimePrefixes: [] });
      await old.update((s) => (s.put('sys/token/id/root', { root: true }), s.put('sys/mounts', { m: 1 })));
      expect(entryKeysOf(path)).toEqual(['sys/mounts', 'sys/token/id/root']);
      const store = await openFileStore({ path, env, journal: journal && journalSettings });
      expect(await store.read((s) => [s.get('sys/token/id/root'), s.list('sys/token/')])).toEqual([{ root: true }, ['sys/token/id/root']]);
      await store.update((s) => s.put('sys/token/id/other', { root: false }));
      expect(entryKeysOf(path)).toEqual(['sys/mounts']);
      await store.close();
      expect(entryKeysOf(statePathOf(path))).toEqual(['sys/token/id/other', 'sys/token/id/root']);
      const reader = await openFileStore({ path, env });
      expect(await reader.read((s) => [s.get('sys/token/id/root'), s.get('sys/token/id/other')])).toEqual([{ root: true }, { root: false }]);
    }
  });

  it('refuses a state file of another store, an edited one, and one left without its store', async () => {
    const one = makeStoreEnv();
    const two = makeStoreEnv();
    for (const { path, env } of [one, two]) {
      const store = await openFileStore({ path, env: one.env, create: true });
      await store.update((s) => (s.put('secret', 1), s.put('sys/token/id/x', path)));
      void env;
    }
    writeFileSync(statePathOf(one.path), readFileSync(statePathOf(two.path)));
    const foreign = await openFileStore({ path: one.path, env: one.env });
    let error = await secretrunErrorOf(foreign.read((s) => s.get('sys/token/id/x')));
    expect([error.code, error.message.includes(statePathOf(one.path)), error.message.includes('another store')]).toEqual(['store_integrity', true, true]);
    // Never committed: recovered from a backup or started afresh, not from git.
    expect(error.message).toContain('delete it to start that state afresh');
    expect(error.message).not.toContain('restore it from version control');
    writeFileSync(statePathOf(two.path), readFileSync(statePathOf(two.path), 'utf8').replace('sys/token/id/x', 'sys/token/id/y'));
    error = await secretrunErrorOf(openFileStore({ path: two.path, env: one.env, journal: true }));
    expect([error.code, error.message.includes(statePathOf(two.path)), error.message.includes('MAC')]).toEqual(['store_integrity', true, true]);
    // A new store is not written over a state file whose store is gone.
    const three = makeStoreEnv();
    const first = await openFileStore({ path: three.path, env: three.env, create: true });
    await first.update((s) => s.put('sys/token/id/x', 1));
    rmSync(three.path);
    const fresh = await openFileStore({ path: three.path, env: three.env, create: true });
    error = await secretrunErrorOf(fresh.update((s) => s.put('secret', 1)));
    expect([error.code, error.message.includes(statePathOf(three.path))]).toEqual(['store_integrity', true]);
    expect(existsSync(three.path)).toBe(false);
  });

  it('rotate and rekey fold in the journal and keep the state file readable under the new key', async () => {
    const { path, env } = makeStoreEnv();
    const server = await openFileStore({ path, env, create: true, journal: journalSettings });
    await server.update((s) => s.put('secret', 'before'));
    await server.update((s) => (s.put('secret', 'journaled'), s.put('sys/token/id/x', 'token')));
    expect(existsSync(journalPathOf(path))).toBe(true);
    await rotateStore({ path, env });
    expect(existsSync(journalPathOf(path))).toBe(false);
    const newKey = randomBytes(32);
    await rekeyStore({ path, env, newKey });
    const reader = await openFileStore({ path, env: { ...env, SECRETRUN_KEY: newKey.toString('base64') } });
    expect(await reader.read((s) => [s.get('secret'), s.get('sys/token/id/x')])).toEqual(['journaled', 'token']);
    const stale = await openFileStore({ path, env }).catch((e: unknown) => e as SecretrunError);
    expect((stale as SecretrunError).code).toBe('store_key');
  });
});
