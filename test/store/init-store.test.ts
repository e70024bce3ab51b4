import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/file-store.js';
import { initStore } from '../../src/store/init-store.js';
import { makeStoreEnv } from './store-test-env.js';

describe('initStore', () => {
  it('creates an empty store and a 0600 key file outside the project when no key is supplied', async () => {
    const { path, env, dir } = makeStoreEnv();
    const { SECRETRUN_KEY: _unused, ...noKey } = env;
    const created = await initStore({ path, env: noKey });
    expect(created.path).toBe(path);
    expect(created.key).toEqual({ kind: 'file', path: `${dir}/config/secretrun/keys/${created.id}.key`, created: true });
    const keyPath = created.key.kind === 'file' ? created.key.path : '';
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(2);
    const store = await openFileStore({ path, env: noKey });
    expect(store.id).toBe(created.id);
    expect(await store.read((s) => s.list(''))).toEqual([]);
  });

  it('uses SECRETRUN_KEY when set and writes no key file', async () => {
    const { path, env, dir } = makeStoreEnv();
    const created = await initStore({ path, env });
    expect(created.key).toEqual({ kind: 'env', name: 'SECRETRUN_KEY' });
    expect(existsSync(`${dir}/config`)).toBe(false);
  });

  it('creates a passphrase store readable with that passphrase only', async () => {
    const { path, env } = makeStoreEnv();
    const { SECRETRUN_KEY: _unused, ...noKey } = env;
    const created = await initStore({ path, env: noKey, passphrase: 'open sesame' });
    expect(created.key).toEqual({ kind: 'passphrase' });
    const store = await openFileStore({ path, env: { ...noKey, SECRETRUN_PASSPHRASE: 'open sesame' } });
    await store.update((s) => s.put('a', 'PLAINTEXT-a'));
    const missing = await openFileStore({ path, env: noKey }).catch((e: unknown) => e as SecretrunError);
    expect((missing as SecretrunError).code).toBe('store_key');
    expect((missing as SecretrunError).message).toContain('SECRETRUN_PASSPHRASE');
  });

  it('refuses to overwrite an existing store', async () => {
    const { path, env } = makeStoreEnv();
    await initStore({ path, env });
    const before = readFileSync(path, 'utf8');
    const error = await initStore({ path, env }).catch((e: unknown) => e as SecretrunError);
    expect((error as SecretrunError).code).toBe('store_io');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
