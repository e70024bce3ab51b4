import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { SecretrunError } from '../errors.js';
import { formatSize, isTooLarge, readFileBounded } from '../fs/bounded-read.js';
import { describeFsError, renderFsFailure } from '../fs/fs-error.js';
import { makePrivateDir, writePrivateFile } from '../fs/private-file.js';
import { buildKeyCheck, derivePassphraseKey } from './key-derivation.js';
import type { KdfParams } from './key-derivation.js';
import { resolveKeyFilePath } from './store-paths.js';
import type { Env } from './store-paths.js';

// Finding the root key of a store, in order: an option passed in, SECRETRUN_KEY,
// SECRETRUN_KEY_FILE, a passphrase (option or SECRETRUN_PASSPHRASE; only for stores created
// with one), then the default key file. Values are never echoed in errors.

// Where a caller may supply the key directly (the CLI's prompt gives `passphrase`).
export interface KeyOptions {
  env: Env;
  key?: Buffer;
  passphrase?: string;
  /** The passphrase of a protected private key (else SECRETRUN_IDENTITY_PASSPHRASE). */
  identityPassphrase?: string;
  /** Refuse a recipient store whose root key does not continue the ones this machine knew (default true; the diff listing, which shows no value, passes false). */
  checkContinuity?: boolean;
}

// A root key and a human description of where it came from (safe to print).
export interface RootKey {
  key: Buffer;
  source: string;
  /** The default-location key file it was read from, if any. */
  file?: string;
  /** The name of the recipient whose private key opened a recipient store. */
  recipient?: string;
}

// Where `rekey` puts a generated key before the store is rewritten: after a crash between the
// two steps the store's key is here, and resolution finds it.
export function pendingKeyFilePath(keyFile: string): string {
  return `${keyFile}.next`;
}

// Finishes an interrupted rekey: the pending key file becomes the key file.
export async function promotePendingKeyFile(keyFile: string): Promise<void> {
  await fs.rename(pendingKeyFilePath(keyFile), keyFile);
}

// Decodes base64 of exactly 32 bytes; `what` names the source in the error.
export function decodeRootKey(text: string, what: string, path: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) {
    throw new SecretrunError('store_key', `cannot use ${what} for ${path}: it is not base64 (expected base64 of 32 random bytes)`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new SecretrunError(
      'store_key',
      `cannot use ${what} for ${path}: it decodes to ${key.length} bytes, not 32 (expected base64 of 32 random bytes)`,
    );
  }
  return key;
}

// The most a key file may hold: it is one line of base64 of 32 bytes (45 bytes), so anything
// much larger is the wrong file (SECRETRUN_KEY_FILE=/dev/zero would otherwise be read forever).
export const maxKeyFileBytes = 4 * 1024;

// Reads a key file; undefined when it does not exist and `optional`. Synchronous: it is on
// every command's start-up path, and the first asynchronous fs call starts libuv's thread pool.
export async function readKeyFile(file: string, path: string, optional: boolean): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = readFileBounded(file, maxKeyFileBytes).toString('utf8');
  } catch (error) {
    if (isTooLarge(error)) {
      throw new SecretrunError(
        'store_key',
        `cannot use key file ${file} for ${path}: it is larger than ${formatSize(maxKeyFileBytes)} (a key file holds one line, base64 of 32 random bytes)`,
      );
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && optional) return undefined;
    throw new SecretrunError('store_key', `cannot read key file ${file} for ${path}: ${code ?? 'error'}`, { cause: error });
  }
  return decodeRootKey(text, `key file ${file}`, path);
}

// Resolves the root key of an existing store with the given id, KDF parameters and key check.
export async function resolveRootKey(
  options: KeyOptions,
  storeId: string,
  kdf: KdfParams | null,
  path: string,
  check?: string,
): Promise<RootKey> {
  const { env } = options;
  if (options.key !== undefined) return { key: decodeKeyBuffer(options.key, path), source: 'the key passed in' };
  const envKey = env['SECRETRUN_KEY'];
  if (envKey !== undefined && envKey !== '') return { key: decodeRootKey(envKey, 'SECRETRUN_KEY', path), source: 'SECRETRUN_KEY' };
  const keyFile = env['SECRETRUN_KEY_FILE'];
  if (keyFile !== undefined && keyFile !== '') {
    return { key: (await readKeyFile(keyFile, path, false)) as Buffer, source: `key file ${keyFile}` };
  }
  const passphrase = options.passphrase ?? env['SECRETRUN_PASSPHRASE'];
  if (passphrase !== undefined && passphrase !== '') {
    if (kdf === null) {
      throw new SecretrunError(
        'store_key',
        `cannot use a passphrase for ${path}: it was created with a key, not a passphrase (set SECRETRUN_KEY or SECRETRUN_KEY_FILE)`,
      );
    }
    return { key: derivePassphraseKey(passphrase, kdf), source: 'the passphrase' };
  }
  const defaultFile = resolveKeyFilePath(env, storeId);
  const key = await readKeyFile(defaultFile, path, true);
  if (key !== undefined && (check === undefined || buildKeyCheck(key) === check)) {
    return { key, source: `key file ${defaultFile}`, file: defaultFile };
  }
  const pendingFile = pendingKeyFilePath(defaultFile);
  const pending = await readKeyFile(pendingFile, path, true).catch(() => undefined);
  if (pending !== undefined && buildKeyCheck(pending) === check) return { key: pending, source: `key file ${pendingFile}`, file: pendingFile };
  if (key !== undefined) return { key, source: `key file ${defaultFile}`, file: defaultFile };
  const passphraseNote = kdf === null ? '' : ', SECRETRUN_PASSPHRASE';
  throw new SecretrunError(
    'store_key',
    `no key for store ${path}: looked in SECRETRUN_KEY, SECRETRUN_KEY_FILE${passphraseNote} and ${defaultFile} (set one of them to the key this store was created with)`,
  );
}

function decodeKeyBuffer(key: Buffer, path: string): Buffer {
  if (key.length !== 32) {
    throw new SecretrunError('store_key', `cannot use the key passed in for ${path}: it is ${key.length} bytes, not 32`);
  }
  return key;
}

// Writes a new key file (mode 0600 in a 0700 directory); refuses to overwrite unless
// `replace`, which replaces the file atomically.
export async function writeKeyFile(file: string, key: Buffer, replace = false): Promise<void> {
  const text = `${key.toString('base64')}\n`;
  try {
    await makePrivateDir(dirname(file));
    if (replace) await writePrivateFile(file, text);
    else {
      // Created exclusively (never over another store's key), 0600 before any byte is written.
      await fs.writeFile(file, text, { mode: 0o600, flag: 'wx' });
      await fs.chmod(file, 0o600);
    }
  } catch (error) {
    throw new SecretrunError('store_io', `cannot write key file ${file}: ${renderFsFailure(describeFsError(error))}`, { cause: error });
  }
}
