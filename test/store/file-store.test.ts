import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/file-store.js';
import type { FileStore, FileStoreOptions } from '../../src/store/file-store.js';
import type { Store } from '../../src/store/storage.js';
import type { JsonValue } from '../../src/json.js';
import type { StoreCreation } from '../../src/store/init-store.js';
import { deriveMacKey } from '../../src/store/key-derivation.js';
import { parseStoreBytes, readEntryEnvelope, renderEntryLine, renderStoreFile } from '../../src/store/store-format.js';
import { describeStoreContract } from './store-contract.js';
import { makeStoreEnv } from './store-test-env.js';

const values: Record<string, JsonValue> = {
  'secret/data/alpha': { password: 'PLAINTEXT-alpha-7f3a' },
  'secret/data/beta': { token: 'PLAINTEXT-beta-91c2', nested: ['x', 1, true, null] },
  'secret/metadata/alpha': { custom: 'PLAINTEXT-meta-55d0' },
};

async function seeded(extra: Partial<FileStoreOptions> = {}) {
  const setup = makeStoreEnv();
  const store = await openFileStore({ path: setup.path, env: setup.env, create: true, ...extra });
  await store.update((s) => {
    for (const [key, value] of Object.entries(values)) s.put(key, value);
  });
  return { ...setup, store };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SecretrunError) {
      expect(error.message).not.toContain('PLAINTEXT');
      expect(error.message).not.toContain('\n');
      return error.code;
    }
    throw error;
  }
  return 'no error';
}

// Each contract store's environment, so that another opener (as the CLI beside a server) can
// open the same files.
const envOf = new WeakMap<object, FileStoreOptions['env']>();
async function contractStore(options: Partial<FileStoreOptions>): Promise<FileStore> {
  const { path, env } = makeStoreEnv();
  const store = await openFileStore({ path, env, create: true, ...options });
  envOf.set(store, env);
  return store;
}
const reopenAsCli = async (store: Store): Promise<Store> => openFileStore({ path: (store as FileStore).path, env: envOf.get(store) ?? {} });

describeStoreContract('file store', () => contractStore({}), reopenAsCli);
describeStoreContract('file store, journal mode', () => contractStore({ journal: true }), reopenAsCli);

// Half of the contract's keys routed to the state file: lists merge both files, transactions
// span both, and an unrouted key never lands in the state file.
const routed = ['a', 'k/a', 'k/\u{E000}', 'k/😀', 'v/s', 'v/n', 'pair/a', 'counter', 'before-await'];
describeStoreContract('file store, keys split between store and state file', () => contractStore({ runtimePrefixes: routed }), async (store) =>
  openFileStore({ path: (store as FileStore).path, env: envOf.get(store) ?? {}, runtimePrefixes: routed }),
);
describeStoreContract('file store, journal mode, keys split between store and state file', () => contractStore({ journal: true, runtimePrefixes: routed }), async (store) =>
  openFileStore({ path: (store as FileStore).path, env: envOf.get(store) ?? {}, runtimePrefixes: routed }),
);

describe('file store', () => {
  it('round-trips values through the file and a second opener', async () => {
    const { path, env, store } = await seeded();
    const again = await openFileStore({ path, env });
    expect(await again.read((s) => s.get('secret/data/beta'))).toEqual(values['secret/data/beta']);
    expect(await again.read((s) => s.list('secret/data/'))).toEqual(['secret/data/alpha', 'secret/data/beta']);
    expect(await again.read((s) => s.get('secret/data/missing'))).toBeUndefined();
    expect(again.id).toBe(store.id);
    await store.update((s) => s.delete('secret/data/alpha'));
    expect(await again.read((s) => s.list(''))).toEqual(['secret/data/beta', 'secret/metadata/alpha']);
  });

  it('writes one header line, then sorted entry lines with a trailing newline', async () => {
    const { path } = await seeded();
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ secretrun_store: 1, kdf: null });
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { k: string }).k)).toEqual(Object.keys(values).sort());
  });

  it('never puts a plaintext value in the file', async () => {
    const { path } = await seeded();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('PLAINTEXT');
    expect(Buffer.from(text).includes(Buffer.from('PLAINTEXT'))).toBe(false);
  });

  it('decrypts only the entries asked for, once each', async () => {
    const { path, env } = await seeded();
    const decrypted: string[] = [];
    const store = await openFileStore({ path, env, onDecrypt: (key) => decrypted.push(key) });
    expect(await store.read((s) => s.list('secret/'))).toHaveLength(3);
    expect(decrypted).toEqual([]);
    await store.read((s) => s.get('secret/data/beta'));
    await store.read((s) => s.get('secret/data/beta'));
    expect(decrypted).toEqual(['secret/data/beta']);
  });

  it('after another writer changed the file, serves new values and re-decrypts only changed entries', async () => {
    const { path, env, store } = await seeded();
    const decrypted: string[] = [];
    const reader = await openFileStore({ path, env, onDecrypt: (key) => decrypted.push(key) });
    expect(await reader.read((s) => [s.get('secret/data/alpha'), s.get('secret/data/beta')])).toEqual([
      values['secret/data/alpha'],
      values['secret/data/beta'],
    ]);
    await store.update((s) => {
      s.put('secret/data/beta', { token: 'PLAINTEXT-beta-new' });
      s.delete('secret/metadata/alpha');
    });
    const after = await reader.read((s) => [s.get('secret/data/alpha'), s.get('secret/data/beta'), s.get('secret/metadata/alpha')]);
    expect(after).toEqual([values['secret/data/alpha'], { token: 'PLAINTEXT-beta-new' }, undefined]);
    expect(decrypted).toEqual(['secret/data/alpha', 'secret/data/beta', 'secret/data/beta']);
  });

  it('keeps an unchanged entry line byte for byte across an unrelated write', async () => {
    const { path, store } = await seeded();
    const before = readFileSync(path, 'utf8').split('\n');
    await store.update((s) => s.put('secret/data/beta', { token: 'PLAINTEXT-new' }));
    const after = readFileSync(path, 'utf8').split('\n');
    expect(after[1]).toBe(before[1]);
    expect(after[3]).toBe(before[3]);
    expect(after[2]).not.toBe(before[2]);
  });

  it('writes nothing for a transaction that changes nothing or throws', async () => {
    const { path, store } = await seeded();
    const before = readFileSync(path, 'utf8');
    await store.update((s) => {
      s.put('secret/data/alpha', values['secret/data/alpha'] as JsonValue);
      s.delete('secret/data/never');
    });
    expect(readFileSync(path, 'utf8')).toBe(before);
    await expect(
      store.update((s) => {
        s.put('secret/data/alpha', { password: 'PLAINTEXT-lost' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await store.read((s) => s.get('secret/data/alpha'))).toEqual(values['secret/data/alpha']);
  });

  it('sees its own writes inside a transaction and refuses writes in a read', async () => {
    const { store } = await seeded();
    const seen = await store.update((s) => {
      s.put('secret/data/gamma', 1);
      s.delete('secret/data/alpha');
      return [s.get('secret/data/gamma'), s.get('secret/data/alpha'), s.list('secret/data/')];
    });
    expect(seen).toEqual([1, undefined, ['secret/data/beta', 'secret/data/gamma']]);
    await expect(store.read((s) => s.put('x', 1))).rejects.toThrow(SecretrunError);
  });

  it('reads a missing store as empty and creates it on the first write, reporting the key file', async () => {
    const { path, env } = makeStoreEnv();
    const { SECRETRUN_KEY: _unused, ...noKey } = env;
    const created: StoreCreation[] = [];
    const store = await openFileStore({ path, env: noKey, create: true, onCreated: (c) => created.push(c) });
    expect(store.id).toBeUndefined();
    expect(await store.read((s) => s.list(''))).toEqual([]);
    expect(existsSync(path)).toBe(false);
    await store.update((s) => s.put('a', 'PLAINTEXT-a'));
    expect(created).toHaveLength(1);
    const key = created[0]?.key;
    expect(key?.kind).toBe('file');
    const keyPath = key?.kind === 'file' ? key.path : '';
    expect(keyPath).toBe(`${noKey.XDG_CONFIG_HOME}/secretrun/keys/${store.id}.key`);
    const again = await openFileStore({ path, env: noKey });
    expect(await again.read((s) => s.get('a'))).toBe('PLAINTEXT-a');
  });

  it('refuses to write a missing store without create', async () => {
    const { path, env } = makeStoreEnv();
    const store = await openFileStore({ path, env });
    expect(await codeOf(store.update((s) => s.put('a', 1)))).toBe('store_io');
  });

  it('notices changes on disk and reloads', async () => {
    const { path, env, store } = await seeded();
    const other = await openFileStore({ path, env });
    expect(await other.changedOnDisk()).toBe(false);
    await store.update((s) => s.put('secret/data/gamma', 3));
    expect(await other.changedOnDisk()).toBe(true);
    await other.reload();
    expect(await other.changedOnDisk()).toBe(false);
    expect(await other.read((s) => s.get('secret/data/gamma'))).toBe(3);
  });

  it('rejects a wrong key with store_key naming the path, leaving the file untouched', async () => {
    const { path, env } = await seeded();
    const before = readFileSync(path, 'utf8');
    const wrong = { ...env, SECRETRUN_KEY: randomBytes(32).toString('base64') };
    const error = await openFileStore({ path, env: wrong }).catch((e: unknown) => e as SecretrunError);
    expect(error).toBeInstanceOf(SecretrunError);
    expect((error as SecretrunError).code).toBe('store_key');
    expect((error as SecretrunError).message).toContain(`cannot decrypt ${path}: wrong key`);
    expect((error as SecretrunError).message).toContain('SECRETRUN_KEY');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('reports an unknown format version and a file that is not a store as store_format', async () => {
    const { path, env } = await seeded();
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"secretrun_store":1', '"secretrun_store":3'));
    expect(await codeOf(openFileStore({ path, env }))).toBe('store_format');
    writeFileSync(path, 'API_KEY=abc\n');
    expect(await codeOf(openFileStore({ path, env }))).toBe('store_format');
    writeFileSync(path, '{"name":"package"}\n');
    expect(await codeOf(openFileStore({ path, env }))).toBe('store_format');
  });

  it('recognises a store checked out with CRLF line endings and says how to fix it', async () => {
    const { path, env } = await seeded();
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replaceAll('\n', '\r\n'));
    const error = await openFileStore({ path, env }).catch((e: unknown) => e as SecretrunError);
    expect(error).toMatchObject({ code: 'store_format' });
    expect((error as SecretrunError).message).toContain(`store ${path} has CRLF (Windows) line endings`);
    expect((error as SecretrunError).message).toContain('"/store.json -text"');
    writeFileSync(path, original.replaceAll('\r\n', '\n'));
    expect(await (await openFileStore({ path, env })).read((s) => s.list(''))).toHaveLength(3);
  });

  it('detects every kind of tampering as store_integrity and leaves the file untouched', async () => {
    const { path, env } = await seeded();
    const original = readFileSync(path, 'utf8');
    const lines = original.slice(0, -1).split('\n');
    const join = (ls: string[]) => `${ls.join('\n')}\n`;
    const flip = (line: string, at: number) => line.slice(0, at) + (line[at] === 'A' ? 'B' : 'A') + line.slice(at + 1);
    const tampered: Record<string, string> = {
      'deleted line': join(lines.filter((_, i) => i !== 2)),
      'swapped lines': join([lines[0], lines[2], lines[1], lines[3]] as string[]),
      'duplicated line': join([...lines.slice(0, 3), lines[2], ...lines.slice(3)] as string[]),
      'inserted line': join([...lines, '{"k":"secret/data/zzz","v":"AQAAAAE="}']),
      'truncated file': original.slice(0, Math.floor(original.length / 2)),
      'truncated at a line end': join(lines.slice(0, 3)),
      'last newline removed': original.slice(0, -1),
      'empty file': '',
      'header id edited': original.replace(/"id":"(.)/, (_, c: string) => `"id":"${c === 'a' ? 'b' : 'a'}`),
      'header keyring edited': original.replace('"active":1', '"active":1,"x":0'),
      'header mac edited': original.replace(/"mac":"(.)/, (_, c: string) => `"mac":"${c === 'A' ? 'B' : 'A'}`),
      'extra blank line': `${original}\n`,
    };
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      tampered[`char changed in line ${i + 1} key`] = join(lines.map((l, j) => (j === i ? flip(l, 8) : l)));
      tampered[`char changed in line ${i + 1} value`] = join(lines.map((l, j) => (j === i ? flip(l, line.length - 10) : l)));
    }
    for (const [what, text] of Object.entries(tampered)) {
      writeFileSync(path, text);
      expect([what, await codeOf(openFileStore({ path, env }))]).toEqual([what, 'store_integrity']);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('refuses hostile scrypt parameters in the header as store_integrity before deriving anything', async () => {
    const { path, env } = makeStoreEnv();
    const { SECRETRUN_KEY: _unused, ...noKey } = env;
    const store = await openFileStore({ path, env: noKey, passphrase: 'correct horse', create: true });
    await store.update((s) => s.put('a', 'PLAINTEXT-a'));
    const original = readFileSync(path, 'utf8');
    for (const n of [2 ** 22, 3, 0]) {
      writeFileSync(path, original.replace('"n":32768', `"n":${n}`));
      const started = Date.now();
      const error = await openFileStore({ path, env: noKey, passphrase: 'correct horse' }).catch((e: unknown) => e as SecretrunError);
      expect(error).toBeInstanceOf(SecretrunError);
      expect([n, (error as SecretrunError).code]).toEqual([n, 'store_integrity']);
      expect((error as SecretrunError).message).toContain(`scrypt parameters N=${n} r=8 p=1`);
      // A derivation with N=2^22 takes many seconds; the check comes before it.
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('refuses to write a store past its size limit, leaving the file as it was', async () => {
    const { path, env } = makeStoreEnv();
    const store = await openFileStore({ path, env, create: true, maxBytes: 4096 });
    await store.update((s) => s.put('a', 'x'.repeat(1000)));
    const before = readFileSync(path, 'utf8');
    const error = await store.update((s) => s.put('b', 'x'.repeat(3000))).catch((e: unknown) => e as SecretrunError);
    expect(error).toMatchObject({ code: 'store_io' });
    expect((error as SecretrunError).message).toBe(
      `cannot write store ${path}: it would be larger than 4 KiB, the most secretrun handles (delete old versions or secrets, or split the store)`,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await store.read((s) => s.list(''))).toEqual(['a']);
  });

  it('binds entries to their key and store: a moved envelope does not decrypt even under a valid MAC', async () => {
    const { path, env, key } = await seeded();
    const other = makeStoreEnv();
    // A second store under the same root key, holding the same storage key.
    const otherStore = await openFileStore({ path: other.path, env, create: true });
    await otherStore.update((s) => s.put('secret/data/alpha', 'PLAINTEXT-other'));
    const bytes = readFileSync(path);
    const parsed = parseStoreBytes(bytes, path);
    const lines = bytes.toString('utf8', parsed.entriesStart).slice(0, -1).split('\n');
    const theirs = readFileSync(other.path, 'utf8').split('\n')[1] as string;
    // Re-MAC with the real key, as a buggy merge tool holding the key might: only the AAD is left to object.
    const remac = (entries: string[]) =>
      writeFileSync(path, renderStoreFile(parsed.header, entries.map((e) => Buffer.from(`${e}\n`)), deriveMacKey(key)));
    const asAlpha = (line: string) => renderEntryLine('secret/data/alpha', readEntryEnvelope(line));

    remac([asAlpha(lines[1] as string), lines[1] as string, lines[2] as string]);
    const moved = await openFileStore({ path, env });
    expect(await codeOf(moved.read((s) => s.get('secret/data/alpha')))).toBe('store_integrity');
    expect(await moved.read((s) => s.get('secret/data/beta'))).toEqual(values['secret/data/beta']);

    remac([asAlpha(theirs), lines[1] as string, lines[2] as string]);
    const foreign = await openFileStore({ path, env });
    expect(await codeOf(foreign.read((s) => s.get('secret/data/alpha')))).toBe('store_integrity');
  });
});
