import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { SecretrunError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { makePrivateDir } from '../fs/private-file.js';
import { buildKeyCheck, createKdfParams, derivePassphraseKey, deriveMacKey } from './key-derivation.js';
import type { KdfParams } from './key-derivation.js';
import { createKeyring, unwrapKeyring } from './keyring.js';
import type { DataKeys } from './keyring.js';
import { acquireStoreLock } from './lock.js';
import { decodeRootKey, readKeyFile, writeKeyFile } from './root-key.js';
import type { KeyOptions } from './root-key.js';
import { renderStoreFile } from './store-format.js';
import type { StoreHeader } from './store-format.js';
import { ioError, readStoreFile } from './store-snapshot.js';
import { writeStoreGitattributes } from './store-gitattributes.js';
import { resolveKeyFilePath } from './store-paths.js';
import { noteStoreWrite } from './write-epoch.js';

// Creating a store: a fresh id and keyring, and, unless a key or passphrase was supplied, a new
// key file outside the project. The key file is written before the store, so a store never
// exists without its key.

// Where the root key of a new store is; the CLI prints this on stderr.
export type KeyLocation =
  | { kind: 'file'; path: string; created: boolean }
  | { kind: 'env'; name: 'SECRETRUN_KEY' }
  | { kind: 'option' }
  | { kind: 'passphrase' }
  | { kind: 'recipients' };

// What creating a store reports.
export interface StoreCreation {
  path: string;
  id: string;
  key: KeyLocation;
}

// Header and keys of a store about to be written for the first time.
export interface NewStore {
  creation: StoreCreation;
  header: StoreHeader;
  rootKey: Buffer;
  dataKeys: DataKeys;
}

async function chooseRootKey(options: KeyOptions, id: string, path: string): Promise<{ key: Buffer; kdf: KdfParams | null; location: KeyLocation }> {
  const { env } = options;
  if (options.key !== undefined) return { key: decodeRootKey(options.key.toString('base64'), 'the key passed in', path), kdf: null, location: { kind: 'option' } };
  const envKey = env['SECRETRUN_KEY'];
  if (envKey !== undefined && envKey !== '') {
    return { key: decodeRootKey(envKey, 'SECRETRUN_KEY', path), kdf: null, location: { kind: 'env', name: 'SECRETRUN_KEY' } };
  }
  const passphrase = options.passphrase ?? env['SECRETRUN_PASSPHRASE'];
  const keyFile = env['SECRETRUN_KEY_FILE'];
  if ((keyFile === undefined || keyFile === '') && passphrase !== undefined && passphrase !== '') {
    const kdf = createKdfParams(randomBytes);
    return { key: derivePassphraseKey(passphrase, kdf), kdf, location: { kind: 'passphrase' } };
  }
  const file = keyFile !== undefined && keyFile !== '' ? keyFile : resolveKeyFilePath(env, id);
  const existing = await readKeyFile(file, path, true);
  if (existing !== undefined) return { key: existing, kdf: null, location: { kind: 'file', path: file, created: false } };
  const key = randomBytes(32);
  await writeKeyFile(file, key);
  return { key, kdf: null, location: { kind: 'file', path: file, created: true } };
}

// Prepares a new store's header and keys, writing a new key file when one is needed.
export async function prepareNewStore(path: string, options: KeyOptions): Promise<NewStore> {
  const id = randomBytes(16).toString('base64url');
  const { key, kdf, location } = await chooseRootKey(options, id, path);
  const keyring = createKeyring(key, id, randomBytes);
  const header: StoreHeader = { id, keyring, kdf, check: buildKeyCheck(key) };
  return { creation: { path, id, key: location }, header, rootKey: key, dataKeys: unwrapKeyring(keyring, key, id) as DataKeys };
}

// Creates an empty store at `path`; fails with store_io if one is already there.
export async function initStore(options: KeyOptions & { path: string; lockTimeoutMs?: number }): Promise<StoreCreation> {
  const { path } = options;
  await makePrivateDir(dirname(path)).catch((error: unknown) => {
    throw ioError(path, 'write', error);
  });
  const release = await acquireStoreLock(path, options.lockTimeoutMs);
  try {
    if ((await readStoreFile(path)) !== undefined) {
      throw new SecretrunError('store_io', `cannot create store ${path}: a file is already there (use it, or remove it first)`);
    }
    const created = await prepareNewStore(path, options);
    await writeStoreGitattributes(path).catch((error: unknown) => {
      throw ioError(path, 'write', error);
    });
    await writeFileAtomic(path, renderStoreFile(created.header, [], deriveMacKey(created.rootKey))).catch((error: unknown) => {
      throw ioError(path, 'write', error);
    });
    noteStoreWrite();
    return created.creation;
  } finally {
    await release();
  }
}
