import { promises as fs } from 'node:fs';
import { isSecretrunError } from '../errors.js';
import { protectedKeyHint } from '../store/recipients/recipient-key.js';
import type { CliIo } from './io.js';

// Whether the store at `path` was created with a passphrase: its header line carries scrypt
// parameters. Read from the first line only; anything unreadable is simply "no".
async function isPassphraseStore(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
    const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(4096), position: 0 });
    const text = buffer.toString('utf8', 0, bytesRead);
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as { kdf?: unknown };
    return typeof header.kdf === 'object' && header.kdf !== null;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

// Opens a store, asking for its passphrase on the terminal when it was created with one and no
// key, key file or SECRETRUN_PASSPHRASE opened it. Without a terminal the key error stands.
// A recipient store opened with a passphrase-protected private key asks for that passphrase the
// same way, unless SECRETRUN_IDENTITY_PASSPHRASE gave one.
export async function withPassphrasePrompt<T>(io: CliIo, path: string, open: (passphrase?: string) => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    const protectedKey = isSecretrunError(error) && error.hint === protectedKeyHint && !io.env['SECRETRUN_IDENTITY_PASSPHRASE'];
    if (protectedKey && io.stdinIsTTY && io.promptSecret !== undefined) return open(await io.promptSecret(`Passphrase of your private key (to open ${path}): `));
    const asked = isSecretrunError(error) && error.code === 'store_key' && !io.env['SECRETRUN_PASSPHRASE'] && !io.env['SECRETRUN_KEY'] && !io.env['SECRETRUN_KEY_FILE'];
    if (!asked || !io.stdinIsTTY || io.promptSecret === undefined || !(await isPassphraseStore(path))) throw error;
    return open(await io.promptSecret(`Passphrase for ${path}: `));
  }
}
