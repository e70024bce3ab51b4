import { SecretrunError } from '../../errors.js';
import type { ApiClient } from '../api-client.js';
import type { CliIo } from '../io.js';
import { readStdinData } from '../kv-data-args.js';

// The TOKEN argument of the token commands: as given, or `-` to read it from stdin, so a token
// need not appear in a process's argv or a shell's history (an addition: the vault CLI would
// look up a token named `-`, which cannot exist). Surrounding white space is trimmed.
export async function readTokenArgument(arg: string | undefined, io: CliIo): Promise<string> {
  if (arg === undefined) return '';
  if (arg.trim() !== '-') return arg.trim();
  const token = (await readStdinData(io)).trim();
  if (token === '') throw new SecretrunError('input', 'no token on stdin', { hint: 'Pipe the token in, e.g. secretrun token lookup - < token-file' });
  return token;
}

// The local store is used with its key, which is root: there is no token of the caller's own
// to look up, renew or revoke. Says so instead of sending a request that cannot succeed.
export function checkSelfAllowed(client: ApiClient, command: string, what: string): void {
  if (client.mode !== 'local') return;
  throw new SecretrunError('usage', `secretrun ${command} needs ${what} on the local store: it is used with its key, not a token, so there is no token of your own`, {
    hint: 'Set VAULT_ADDR (or pass -address) to act on your own token at a server.',
  });
}
