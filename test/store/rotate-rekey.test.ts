import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openEnvelope, readEnvelopeTerm } from '../../src/store/envelope.js';
import { openFileStore } from '../../src/store/file-store.js';
import { unwrapKeyring } from '../../src/store/keyring.js';
import { rekeyStore } from '../../src/store/rekey-store.js';
import { rotateStore } from '../../src/store/rotate-store.js';
import { makeStoreEnv } from './store-test-env.js';

const entryLines = (path: string) => readFileSync(path, 'utf8').split('\n').slice(1);
const termOf = (line: string) => Buffer.from(line.slice(line.lastIndexOf('"v":"') + 5, -2), 'base64').readUInt32BE(1);

// What a holder of an old root key and an old copy of the store file can decrypt of `line`
// (an entry line of any later copy): the old keyring gives the data keys the old key wraps.
function decryptWithOldCopy(oldCopy: string, oldKey: Buffer, line: string): string | undefined {
  const header = JSON.parse(oldCopy.split('\n')[0] as string) as { id: string; keyring: { active: number; terms: Record<string, string> } };
  const dataKeys = unwrapKeyring(header.keyring, oldKey, header.id);
  const { k: storageKey, v: envelope } = JSON.parse(line) as { k: string; v: string };
  const dataKey = dataKeys?.get(readEnvelopeTerm(envelope) ?? -1);
  return dataKey === undefined ? undefined : openEnvelope({ dataKey, storeId: header.id, storageKey, envelope });
}

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
  it('revokes the old key: with an old copy of the store it opens old entries, never later writes', async () => {
    const { path, env, key: oldKey } = await seeded();
    const oldCopy = readFileSync(path, 'utf8');
    const newKey = randomBytes(32);
    const rekeyed = await rekeyStore({ path, env, newKey });
    const store = await openFileStore({ path, env: { ...env, SECRETRUN_KEY: newKey.toString('base64') } });
    await store.update((s) => {
      s.put('a', 'PLAINTEXT-a-after-rekey');
      s.put('c', 'PLAINTEXT-c-after-rekey');
    });
    const [a, b, c] = entryLines(path) as [string, string, string];
    // The old key still opens what it could always read (that needs rotation at the source)...
    expect(decryptWithOldCopy(oldCopy, oldKey, b)).toBe(JSON.stringify({ v: 'PLAINTEXT-b' }));
    // ...but nothing written after the rekey, even with the old keyring in hand.
    expect(decryptWithOldCopy(oldCopy, oldKey, a)).toBeUndefined();
    expect(decryptWithOldCopy(oldCopy, oldKey, c)).toBeUndefined();
    expect(await store.read((s) => [s.get('a'), s.get('b'), s.get('c')])).toEqual(['PLAINTEXT-a-after-rekey', { v: 'PLAINTEXT-b' }, 'PLAINTEXT-c-after-rekey']);
    expect(rekeyed).toEqual({ key: { kind: 'option' }, term: 2 });
    expect([a, c].map(termOf)).toEqual([2, 2]);
  });

  it('re-wraps only the keyring under a given key: entry lines stay byte-identical', async () => {
    const { path, env } = await seeded();
    await rotateStore({ path, env });
    const before = entryLines(path);
    const newKey = randomBytes(32);
    expect(await rekeyStore({ path, env, newKey })).toEqual({ key: { kind: 'option' }, term: 3 });
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
