import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { openFileStore } from '../../src/store/file-store.js';
import { buildKeyCheck, deriveMacKey } from '../../src/store/key-derivation.js';
import { createKeyring, unwrapKeyring } from '../../src/store/keyring.js';
import type { DataKeys } from '../../src/store/keyring.js';
import { rekeyStore } from '../../src/store/rekey-store.js';
import { addRecipient, removeRecipient } from '../../src/store/recipient-change.js';
import { buildFingerprint, createIdentity, parsePublicKey, renderPublicKey, renderSecretKey } from '../../src/store/recipients/identity.js';
import type { Identity } from '../../src/store/recipients/identity.js';
import { renderIdentityFile, renderProtectedIdentityFile } from '../../src/store/recipients/identity-file.js';
import { unwrapRootKey } from '../../src/store/recipients/stanza.js';
import { buildRecipientEntry } from '../../src/store/recipients/recipient-entry.js';
import { parseStoreBytes, renderEntryLine, renderStoreFile } from '../../src/store/store-format.js';
import type { StoreHeader } from '../../src/store/store-format.js';
import { sealEntry } from '../../src/store/store-snapshot.js';
import type { Env } from '../../src/store/store-paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeStoreEnv } from './store-test-env.js';

// A person with a key pair and a machine of their own (XDG_CONFIG_HOME), the private key in
// the identities directory.
interface Person {
  name: string;
  identity: Identity;
  env: Env;
}

function makePerson(name: string): Person {
  const home = makeTempDir(`secretrun-${name}-`);
  const identity = createIdentity(randomBytes);
  const env = { XDG_CONFIG_HOME: join(home, 'config'), HOME: home };
  mkdirSync(join(home, 'config', 'secretrun', 'identities'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'config', 'secretrun', 'identities', 'default.key'), renderIdentityFile(identity, new Date()), { mode: 0o600 });
  return { name, identity, env };
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n');
const headerOf = (path: string) => parseStoreBytes(readFileSync(path), path).header;

async function readAll(path: string, env: Env): Promise<Record<string, unknown>> {
  const store = await openFileStore({ path, env });
  try {
    return await store.read((s) => Object.fromEntries(s.list('').map((k) => [k, s.get(k)])));
  } finally {
    await store.close();
  }
}

async function put(path: string, env: Env, key: string, value: string): Promise<void> {
  const store = await openFileStore({ path, env });
  try {
    await store.update((s) => s.put(key, value));
  } finally {
    await store.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<SecretrunError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SecretrunError);
  return error as SecretrunError;
}

// A single-key store with two secrets, converted to alice, bob and carol.
async function teamStore() {
  const setup = makeStoreEnv();
  await openFileStore({ path: setup.path, env: setup.env, create: true }).then(async (store) => {
    await store.update((s) => {
      s.put('a', 'PLAINTEXT-a');
      s.put('b', 'PLAINTEXT-b');
    });
    await store.close();
  });
  const people = ['alice', 'bob', 'carol'].map(makePerson) as [Person, Person, Person];
  for (const person of people) {
    await addRecipient({ path: setup.path, env: setup.env, name: person.name, publicKeyText: renderPublicKey(person.identity.publicKey), now: Date.parse('2024-05-01T10:00:00Z') });
  }
  return { ...setup, people };
}

describe('recipients add', () => {
  it('converts a single-key store: version 2, entry lines byte for byte, the shared key and the recipient both open it', async () => {
    const setup = makeStoreEnv();
    const store = await openFileStore({ path: setup.path, env: setup.env, create: true });
    await store.update((s) => s.put('a', 'PLAINTEXT-a'));
    await store.close();
    const before = lines(setup.path);
    expect(before[0]).toContain('"secretrun_store":1');
    const alice = makePerson('alice');
    const added = await addRecipient({ path: setup.path, env: setup.env, name: 'alice', publicKeyText: renderPublicKey(alice.identity.publicKey), now: 0 });
    expect(added.converted).toBe(true);
    const after = lines(setup.path);
    expect(after.slice(1)).toEqual(before.slice(1));
    expect(after[0]).toMatch(/^\{"secretrun_store":2,"id":"[^"]+","keyring":\{.*\},"kdf":null,"check":"[^"]+","recipients":\[\{"name":"alice","public_key":"age1[^"]+","added_by":"shared key","added_at":"1970-01-01T00:00:00Z","stanza":\{"epk":"[^"]+","body":"[^"]+"\}\}\],"shared_key":true,"mac":"[^"]+"\}$/);
    expect(await readAll(setup.path, setup.env)).toEqual({ a: 'PLAINTEXT-a' });
    expect(await readAll(setup.path, alice.env)).toEqual({ a: 'PLAINTEXT-a' });
    // A write through the recipient keeps the recipients (the header is carried through writes).
    await put(setup.path, alice.env, 'b', 'PLAINTEXT-b');
    expect(headerOf(setup.path).recipients?.map((r) => r.name)).toEqual(['alice']);
  });

  it('records who added whom, and refuses a repeated name or key and a mistyped key', async () => {
    const { path, env, people } = await teamStore();
    const [alice] = people;
    const dave = makePerson('dave');
    await addRecipient({ path, env: alice.env, name: 'dave', publicKeyText: renderPublicKey(dave.identity.publicKey), now: 0 });
    expect(headerOf(path).recipients?.map((r) => [r.name, r.added_by])).toEqual([['alice', 'shared key'], ['bob', 'shared key'], ['carol', 'shared key'], ['dave', 'alice']]);
    const before = readFileSync(path);
    expect((await failure(addRecipient({ path, env, name: 'dave', publicKeyText: renderPublicKey(createIdentity(randomBytes).publicKey), now: 0 }))).code).toBe('input');
    expect((await failure(addRecipient({ path, env, name: 'dave2', publicKeyText: renderPublicKey(dave.identity.publicKey), now: 0 }))).message).toContain('already a recipient');
    const typo = renderPublicKey(dave.identity.publicKey).replace(/.$/, (c) => (c === 'q' ? 'p' : 'q'));
    expect((await failure(addRecipient({ path, env, name: 'eve', publicKeyText: typo, now: 0 }))).message).toContain('checksum');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('opening a recipient store', () => {
  it('opens for each of three recipients, with the key in the identities directory or in SECRETRUN_KEY', async () => {
    const { path, people } = await teamStore();
    for (const person of people) expect(await readAll(path, person.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
    const [, bob] = people;
    const ci = { XDG_CONFIG_HOME: join(makeTempDir(), 'config'), SECRETRUN_KEY: renderSecretKey(bob.identity.secret) };
    expect(await readAll(path, ci)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
  });

  it('refuses a machine whose keys are not recipients, naming who can open it', async () => {
    const { path } = await teamStore();
    const error = await failure(readAll(path, makePerson('mallory').env));
    expect(error.code).toBe('store_key');
    expect(error.message).toMatch(/opens with the keys of alice \([0-9a-f]{16}\), bob .*, carol/);
  });

  it('opens a protected key with SECRETRUN_IDENTITY_PASSPHRASE and says what is missing without it', async () => {
    const { path, env } = await teamStore();
    const home = makeTempDir();
    const identity = createIdentity(randomBytes);
    const keyFile = join(home, 'dave.key');
    writeFileSync(keyFile, renderProtectedIdentityFile(identity, new Date(), 'dave-passphrase', randomBytes), { mode: 0o600 });
    await addRecipient({ path, env, name: 'dave', publicKeyText: renderPublicKey(identity.publicKey), now: 0 });
    const dave = { XDG_CONFIG_HOME: join(home, 'config'), SECRETRUN_KEY_FILE: keyFile };
    expect((await failure(readAll(path, dave))).message).toContain('protected by a passphrase');
    expect((await failure(readAll(path, { ...dave, SECRETRUN_IDENTITY_PASSPHRASE: 'wrong' }))).message).toContain('wrong passphrase');
    expect(await readAll(path, { ...dave, SECRETRUN_IDENTITY_PASSPHRASE: 'dave-passphrase' })).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
  });

  it('refuses a private key in SECRETRUN_KEY for a store that only its shared key opens, saying how to add it', async () => {
    const setup = makeStoreEnv();
    await openFileStore({ path: setup.path, env: setup.env, create: true }).then(async (s) => {
      await s.update((t) => t.put('a', 'x'));
      await s.close();
    });
    const error = await failure(readAll(setup.path, { ...setup.env, SECRETRUN_KEY: renderSecretKey(createIdentity(randomBytes).secret) }));
    expect(error.message).toContain('holds a private key, but');
    expect(error.message).toContain('secretrun recipients add');
    expect(error.message).not.toContain('AGE-SECRET-KEY');
    const keyFile = join(setup.dir, 'private.key');
    writeFileSync(keyFile, renderIdentityFile(createIdentity(randomBytes), new Date()), { mode: 0o600 });
    const fromFile = await failure(readAll(setup.path, { XDG_CONFIG_HOME: setup.env.XDG_CONFIG_HOME, SECRETRUN_KEY_FILE: keyFile }));
    expect(fromFile.message).toBe(`key file ${keyFile} holds a private key, but ${setup.path} opens with its shared root key: add the key with \`secretrun recipients add\``);
  });

  it('refuses a tampered recipient entry: an edited stanza, a swapped name, a recipient added without the key', async () => {
    const { path, people } = await teamStore();
    const [alice] = people;
    const original = readFileSync(path, 'utf8');
    const header = JSON.parse(original.split('\n')[0] as string) as { recipients: Array<{ name: string; stanza: { body: string } }> };
    const body = header.recipients[0]?.stanza.body as string;
    const flipped = `${body.slice(0, 5)}${body[5] === 'A' ? 'B' : 'A'}${body.slice(6)}`;
    writeFileSync(path, original.replace(body, flipped));
    const edited = await failure(readAll(path, alice.env));
    expect(edited.code).toBe('store_integrity');
    expect(edited.message).toContain('recipient alice does not open');
    writeFileSync(path, original.replace('"name":"bob"', '"name":"mallory"'));
    expect((await failure(readAll(path, alice.env))).message).toContain('the MAC does not match');
    // A stanza that opens, wrapped by someone without the root key for their own key.
    const mallory = makePerson('mallory');
    const forgedEntry = buildRecipientEntry({ name: 'mallory', publicKey: mallory.identity.publicKey, addedBy: 'alice', now: 0 }, randomBytes(32), headerOf(path).id, randomBytes);
    const parsed = JSON.parse(original.split('\n')[0] as string) as Record<string, unknown[]>;
    parsed['recipients']?.push(forgedEntry);
    writeFileSync(path, [JSON.stringify(parsed), ...original.split('\n').slice(1)].join('\n'));
    expect((await failure(readAll(path, alice.env))).message).toContain('the MAC does not match');
    expect((await failure(readAll(path, mallory.env))).message).toContain('recipient mallory does not open');
  });
});

describe('a recipient store in journal mode (the server)', () => {
  it('keeps its recipients through journal writes, a checkpoint, tokens in the state file and a removal beside them', async () => {
    const { path, people } = await teamStore();
    const [alice, bob, carol] = people;
    const server = await openFileStore({ path, env: alice.env, journal: { records: 1e9, bytes: 1e12, ms: 1e9 } });
    await server.update((s) => {
      s.put('c', 'PLAINTEXT-c');
      s.put('sys/token/id/h1', { policies: ['root'] });
    });
    expect(await readAll(path, carol.env)).toMatchObject({ c: 'PLAINTEXT-c' });
    await server.checkpoint();
    await server.close();
    expect(headerOf(path).recipients?.map((r) => r.name)).toEqual(['alice', 'bob', 'carol']);
    expect(readFileSync(path, 'utf8')).not.toContain('sys/token');
    await removeRecipient({ path, env: carol.env, target: { kind: 'recipient', nameOrFingerprint: 'bob' } });
    expect(await readAll(path, alice.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b', c: 'PLAINTEXT-c', 'sys/token/id/h1': { policies: ['root'] } });
    expect((await failure(readAll(path, bob.env))).code).toBe('store_key');
  });
});

describe('recipients remove', () => {
  it('ends the removed key: nothing written after can be read with it, even with the old copy of the store', async () => {
    const { path, env, people } = await teamStore();
    const [alice, bob, carol] = people;
    const oldCopy = readFileSync(path);
    const before = lines(path);
    const removed = await removeRecipient({ path, env: alice.env, target: { kind: 'recipient', nameOrFingerprint: 'bob' } });
    expect(removed).toMatchObject({ name: 'bob', term: 2 });
    expect(lines(path).slice(1)).toEqual(before.slice(1));
    const header = headerOf(path);
    expect(header.recipients?.map((r) => r.name)).toEqual(['alice', 'carol']);
    expect(header.sharedKey).toBe(false);
    expect(header.lineage).toHaveLength(1);
    expect((await failure(readAll(path, bob.env))).code).toBe('store_key');
    // The shared key is gone too.
    expect((await failure(readAll(path, env))).message).toContain('since the shared key was removed');
    await put(path, carol.env, 'c', 'PLAINTEXT-after');
    expect(await readAll(path, alice.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b', c: 'PLAINTEXT-after' });
    // Bob's key opens the old copy's stanza; its keyring lacks the term of the new write.
    const oldHeader = parseStoreBytes(oldCopy, path).header;
    const oldStore = oldHeader.recipients?.find((r) => r.name === 'bob');
    const bobRoot = unwrapRootKey(oldStore!.stanza, bob.identity, oldHeader.id) as Buffer;
    const oldKeys = unwrapKeyring(oldHeader.keyring, bobRoot, oldHeader.id) as DataKeys;
    const newLine = lines(path).find((line) => line.startsWith('{"k":"c"')) as string;
    const term = Buffer.from(newLine.slice(newLine.lastIndexOf('"v":"') + 5, -2), 'base64').readUInt32BE(1);
    expect(term).toBe(2);
    expect(oldKeys.has(term)).toBe(false);
    expect(unwrapKeyring(headerOf(path).keyring, bobRoot, oldHeader.id)).toBeUndefined();
  });

  it('removes by fingerprint, removes the shared key alone, and refuses the last recipient', async () => {
    const { path, env, people } = await teamStore();
    const [alice] = people;
    await removeRecipient({ path, env, target: { kind: 'shared-key' } });
    expect(headerOf(path).sharedKey).toBe(false);
    expect((await failure(removeRecipient({ path, env: alice.env, target: { kind: 'shared-key' } }))).message).toContain('already removed');
    await removeRecipient({ path, env: alice.env, target: { kind: 'recipient', nameOrFingerprint: buildFingerprint(people[1].identity.publicKey) } });
    await removeRecipient({ path, env: alice.env, target: { kind: 'recipient', nameOrFingerprint: 'carol' } });
    expect((await failure(removeRecipient({ path, env: alice.env, target: { kind: 'recipient', nameOrFingerprint: 'alice' } }))).message).toContain('the last recipient');
    expect(await readAll(path, alice.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
  });

  it('operator rekey on a recipient store wraps the new root key for every recipient and ends the shared key', async () => {
    const { path, people } = await teamStore();
    const [alice, bob, carol] = people;
    await readAll(path, bob.env);
    await rekeyStore({ path, env: alice.env });
    expect(headerOf(path).sharedKey).toBe(false);
    for (const person of [alice, bob, carol]) expect(await readAll(path, person.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
  });
});

describe('key continuity', () => {
  // What someone who can push but holds no key can write: a whole new store under the same id
  // for the listed recipients, holding values of their choosing.
  function forgeStore(path: string): void {
    const real = headerOf(path);
    const rootKey = randomBytes(32);
    const keyring = createKeyring(rootKey, real.id, randomBytes);
    const recipients = (real.recipients ?? []).map((r) => {
      const publicKey = parsePublicKey(r.public_key);
      if (!publicKey.ok) throw new Error(publicKey.problem);
      return buildRecipientEntry({ name: r.name, publicKey: publicKey.key, addedBy: r.added_by, now: 0 }, rootKey, real.id, randomBytes)!;
    });
    const header: StoreHeader = { id: real.id, keyring, kdf: null, check: buildKeyCheck(rootKey), recipients, sharedKey: false, lineage: real.lineage ?? [] };
    const dataKeys = unwrapKeyring(keyring, rootKey, real.id) as DataKeys;
    const line = Buffer.from(`${renderEntryLine('a', sealEntry({ header, dataKeys }, 'a', JSON.stringify('FORGED')))}\n`);
    writeFileSync(path, renderStoreFile(header, [line], deriveMacKey(rootKey)));
  }

  it('refuses a store whose root key changed without a link from the one this machine opened; a fresh machine trusts its first open', async () => {
    const { path, people } = await teamStore();
    const [alice] = people;
    expect(await readAll(path, alice.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
    forgeStore(path);
    const error = await failure(readAll(path, alice.env));
    expect(error.code).toBe('store_integrity');
    expect(error.message).toBe(`the root key of ${path} changed without proof from the previous key (a store written by someone who does not hold its key; restore it from version control)`);
    expect(error.message).not.toContain('FORGED');
    // Bob never opened the store on his machine: nothing to compare with, as ssh's first connection.
    expect(await readAll(path, people[1].env)).toEqual({ a: 'FORGED' });
  });

  it('accepts root-key changes made by key holders, several in a row, through the lineage', async () => {
    const { path, people } = await teamStore();
    const [alice, bob, carol] = people;
    await readAll(path, carol.env);
    await removeRecipient({ path, env: alice.env, target: { kind: 'shared-key' } });
    await rekeyStore({ path, env: alice.env });
    await removeRecipient({ path, env: alice.env, target: { kind: 'recipient', nameOrFingerprint: 'bob' } });
    expect(headerOf(path).lineage).toHaveLength(3);
    expect(await readAll(path, carol.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
    expect((await failure(readAll(path, bob.env))).code).toBe('store_key');
  });

  it('opens an older version (git history, a merge base) whose key the lineage of a newer one vouched for', async () => {
    const { path, people } = await teamStore();
    const [alice, , carol] = people;
    const older = readFileSync(path);
    await removeRecipient({ path, env: alice.env, target: { kind: 'recipient', nameOrFingerprint: 'bob' } });
    expect(await readAll(path, carol.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
    writeFileSync(path, older);
    expect(await readAll(path, carol.env)).toEqual({ a: 'PLAINTEXT-a', b: 'PLAINTEXT-b' });
    // The forger's store is still refused afterwards, and the diff listing may skip the check.
    forgeStore(path);
    expect((await failure(readAll(path, carol.env))).code).toBe('store_integrity');
    const store = await openFileStore({ path, env: carol.env, checkContinuity: false });
    await store.close();
  });
});
