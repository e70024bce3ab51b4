import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writePrivateFile } from '../fs/private-file.js';

// Vault's default token helper: the token lives in ~/.vault-token, read by every client that
// has no VAULT_TOKEN and written by `login` (and by `server -dev`, as Vault does).

type Env = Readonly<Record<string, string | undefined>>;

// The token helper's file.
export function tokenHelperPath(env: Env): string {
  return join(env['HOME'] || homedir(), '.vault-token');
}

// The token stored in `path`, trimmed; undefined when the file is missing, unreadable or empty.
export async function readTokenFile(path: string): Promise<string | undefined> {
  const text = await fs.readFile(path, 'utf8').catch(() => '');
  return text.trim() || undefined;
}

// The token the vault CLI would send: VAULT_TOKEN, else the token helper's file.
export async function findVaultToken(env: Env): Promise<string | undefined> {
  return env['VAULT_TOKEN'] || readTokenFile(tokenHelperPath(env));
}

// Stores the token later commands use, as Vault's internal token helper does: the file is
// replaced whole (never rewritten in place) with mode 0600 whatever the umask, the token
// without a newline.
export async function writeTokenFile(path: string, token: string): Promise<void> {
  await writePrivateFile(path, token);
}
