import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/file-store.js';
import { rekeyStore } from '../../src/store/rekey-store.js';
import { rotateStore } from '../../src/store/rotate-store.js';
import { makeStoreEnv } from './store-test-env.js';

const entryLines = (path: string) => readFileSync(path, 'utf8').split('\n').slice(1);
const termOf = (line: string) => Buffer.from(line.slice(line.lastIndexOf('"v":"') + 5, -2), 'base64').readUInt32BE(1);

async function seeded() {
  const setup = makeStoreEnv();
  const store = await openFileStore({ path: setup.path, env: setup.env, create: true });
  await store.update((s) => {
    s.put('a', 'PLAINTEXT-a');
    s.put('b', { v: 'PLAINTEXT-b' });
  });
  return { ...setup, store };
}

describe('rotate', () => {
  it('adds a key term used for new writes while old entries keep theirs and stay readable', async () => {
    const { path, env, store } = await seeded();
    const before = entryLines(path);
    expect(await rotateStore({ path, env })).toEqual({ term: 2 });
    expect(entryLines(path)).toEqual(before);
    await store.update((s) => s.put('c', 'PLAINTEXT-c'));
    const lines = entryLines(path);
    expect(lines.slice(0, 2).map(termOf)).toEqual([1, 1]);
    expect(termOf(lines[2] as string)).toBe(2);
    const again = await openFileStore({ path, env });
    expect(await again.read((s) => [s.get('a'), s.get('b'), s.get('c')])).toEqual(['PLAINTEXT-a', { v: 'PLAINTEXT-b' }, 'PLAINTEXT-c']);
    expect(await rotateStore({ path, env })).toEqual({ term: 3 });
  });
});

describe('rekey', () => {
  it('re-wraps only the keyring under a given key: entry lines stay byte-identical', async () => {
    const { path, env } = await seeded();
    await rotateStore({ path, env });
    const before = entryLines(path);
    const newKey = randomBytes(32);
    expect(await rekeyStore({ path, env, newKey })).toEqual({ key: { kind: 'option' } });
    expect(entryLines(path)).toEqual(before);
    const error = await openFileStore({ path, env }).catch((e: unknown) => e as SecretrunError);
    expect((error as SecretrunError).code).toBe('store_key');
    const store = await openFileStore({ path, env: { ...env, SECRETRUN_KEY: newKey.toString('base64') } });
    expect(await store.read((s) => [s.get('a'), s.get('b')])).toEqual(['PLAINTEXT-a', { v: 'PLAINTEXT-b' }]);
  });

  it('generates a new key into the default key file and switches to and from a passphrase', async () => {
    const { path, env, store } = await seeded();
    const before = entryLines(path);
    const { SECRETRUN_KEY: _unused, ...noKey } = env;
    const generated = await rekeyStore({ path, env });
    expect(generated.key).toEqual({ kind: 'file', path: `${noKey.XDG_CONFIG_HOME}/secretrun/keys/${store.id}.key`, created: true });
    expect(existsSync(`${noKey.XDG_CONFIG_HOME}/secretrun/keys/${store.id}.key.next`)).toBe(false);
    const fromFile = await openFileStore({ path, env: noKey });
    expect(await fromFile.read((s) => s.get('a'))).toBe('PLAINTEXT-a');

    await rekeyStore({ path, env: noKey, newPassphrase: 'correct horse' });
    expect(entryLines(path)).toEqual(before);
    const header = JSON.parse(readFileSync(path, 'utf8').split('\n')[0] as string) as { kdf: { alg: string } };
    expect(header.kdf.alg).toBe('scrypt');
    const withPassphrase = await openFileStore({ path, env: noKey, passphrase: 'correct horse' });
    expect(await withPassphrase.read((s) => s.get('b'))).toEqual({ v: 'PLAINTEXT-b' });
    const wrong = await openFileStore({ path, env: { ...noKey, SECRETRUN_PASSPHRASE: 'wrong horse' } }).catch((e: unknown) => e as SecretrunError);
    expect((wrong as SecretrunError).code).toBe('store_key');
    expect((wrong as SecretrunError).message).toContain('SECRETRUN_PASSPHRASE');
    expect(entryLines(path)).toEqual(before);
  });
});
