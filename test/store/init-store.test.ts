import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/file-store.js';
import { initStore } from '../../src/store/init-store.js';
import { makeStoreEnv } from './store-test-env.js';

const umask = process.umask();
afterEach(() => void process.umask(umask));

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

  it('creates the store directory and the key directory 0700 whatever the umask', async () => {
    process.umask(0);
    const { path, env, dir } = makeStoreEnv();
    const { SECRETRUN_KEY: _unused, ...noKey } = env;
    await initStore({ path, env: noKey });
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'config', 'secretrun', 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'config', 'secretrun')).mode & 0o777).toBe(0o700);
  });

  it('also when the first write creates the store', async () => {
    process.umask(0o002);
    const { path, env } = makeStoreEnv();
    const store = await openFileStore({ path, env, create: true });
    await store.update((s) => s.put('a', 1));
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
  });

  it('writes a .gitattributes line beside the store, once, keeping what was there', async () => {
    const { path, env } = makeStoreEnv();
    await initStore({ path, env });
    const attributes = join(dirname(path), '.gitattributes');
    expect(readFileSync(attributes, 'utf8')).toBe('/store.json -text\n');
    rmSync(path);
    writeFileSync(attributes, '*.pem binary');
    await initStore({ path, env });
    expect(readFileSync(attributes, 'utf8')).toBe('*.pem binary\n/store.json -text\n');
    rmSync(path);
    await initStore({ path, env });
    expect(readFileSync(attributes, 'utf8')).toBe('*.pem binary\n/store.json -text\n');
  });

  it('keeps its LF endings through a git checkout with core.autocrlf', async () => {
    const { path, env, dir } = makeStoreEnv();
    const project = dirname(dirname(path));
    mkdirSync(project, { recursive: true });
    const git = (...args: string[]) => execa('git', ['-c', 'core.autocrlf=true', '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project, env: { HOME: dir, PATH: process.env['PATH'] } });
    await git('init', '-q');
    await initStore({ path, env });
    const store = await openFileStore({ path, env });
    await store.update((s) => s.put('a', 'PLAINTEXT-a'));
    const written = readFileSync(path);
    await git('add', '.');
    await git('commit', '-qm', 'store');
    rmSync(path);
    await git('checkout', '--', '.secretrun/store.json');
    expect(readFileSync(path).equals(written)).toBe(true);
    expect(await (await openFileStore({ path, env })).read((s) => s.get('a'))).toBe('PLAINTEXT-a');
  });
});
