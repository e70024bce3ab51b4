import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, promises as fs, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SecretrunError } from '../../errors.js';
import { formatSize, isTooLarge, readOpenFileBounded } from '../../fs/bounded-read.js';
import { describeFsError, renderFsFailure } from '../../fs/fs-error.js';
import { makePrivateDir } from '../../fs/private-file.js';
import { resolveKeyDir } from '../store-paths.js';
import type { Env } from '../store-paths.js';
import { parseIdentityFile } from './identity-file.js';
import type { IdentityFileParse } from './identity-file.js';

// This machine's private keys: one file per key pair in $XDG_CONFIG_HOME/secretrun/identities/
// (`<name>.key`, mode 0600 in a 0700 directory), beside the per-store root keys of keys/.
// A directory rather than one file, so a person's key and a machine's key (or an old and a new
// key during a rotation) sit side by side and each can be removed alone. The effects here are
// reading that directory and creating a new file in it, never replacing one.

// One private key file and what it holds.
export interface IdentityFile {
  /** The file name without `.key`: "default", "ci". */
  name: string;
  path: string;
  parsed: IdentityFileParse;
  /** Whether group or others may read it (it should be 0600). */
  exposed: boolean;
}

const suffix = '.key';
// A private key file holds a few lines; anything much larger is not one.
const maxIdentityFileBytes = 64 * 1024;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

// The directory of private key files.
export function resolveIdentityDir(env: Env): string {
  return join(dirname(resolveKeyDir(env)), 'identities');
}

// The file of the private key called `name`; a usage error for a name that is not a plain
// file name.
export function identityFilePath(env: Env, name: string): string {
  if (!namePattern.test(name)) {
    throw new SecretrunError('usage', `invalid key name ${JSON.stringify(name)}: use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return join(resolveIdentityDir(env), `${name}${suffix}`);
}

// Reads one private key file, bounded: SECRETRUN_KEY_FILE may name anything (/dev/zero, a FIFO).
// `exposed`: others may read it by its mode. Windows keeps no such mode (files show 0666, or
// 0444 when read-only; who may read is the ACL's business, inherited from the user's profile),
// so there a key is never called exposed by its mode.
export function readIdentityText(path: string, platform: NodeJS.Platform = process.platform): { text: string; exposed: boolean } {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new SecretrunError('store_key', `cannot use ${path}: it is a directory, not a private key file`);
    const text = readOpenFileBounded(fd, path, maxIdentityFileBytes, info.isFile() && info.size > 0 ? info.size : undefined).toString('utf8');
    return { text, exposed: platform !== 'win32' && (info.mode & 0o077) !== 0 };
  } catch (error) {
    if (isTooLarge(error)) {
      throw new SecretrunError('store_key', `cannot use ${path}: it is larger than ${formatSize(maxIdentityFileBytes)} (a private key file holds a few lines)`);
    }
    throw error;
  } finally {
    closeSync(fd);
  }
}

// Every private key file of the directory, in name order; none when it does not exist.
// Synchronous, like the root key's reads: it is on the start-up path of commands that open a
// recipient store.
export function readIdentityFiles(env: Env): IdentityFile[] {
  const dir = resolveIdentityDir(env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SecretrunError('store_key', `cannot read ${dir}: ${renderFsFailure(describeFsError(error))}`, { cause: error });
  }
  return names
    .filter((name) => name.endsWith(suffix) && namePattern.test(name.slice(0, -suffix.length)))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const { text, exposed } = readIdentityText(path);
      return { name: file.slice(0, -suffix.length), path, parsed: parseIdentityFile(text), exposed };
    });
}

// Creates a private key file: 0600 in a 0700 directory, complete or absent. It is written to a
// temp file, synced, and linked to its name, which fails if the name exists: an existing key is
// never overwritten, and a crash never leaves half a key.
export async function writeNewIdentityFile(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await makePrivateDir(dir);
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.link(temp, path);
    const directory = await fs.open(dir, 'r');
    await directory.sync().finally(() => directory.close());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'EEXIST') {
      throw new SecretrunError('usage', `${path} already exists: a private key is never overwritten (choose another -name, or move the old key away first)`);
    }
    throw new SecretrunError('store_io', `cannot write private key file ${path}: ${renderFsFailure(describeFsError(error))}`, { cause: error });
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}
