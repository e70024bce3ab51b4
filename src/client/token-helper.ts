import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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
