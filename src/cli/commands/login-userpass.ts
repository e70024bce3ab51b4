import { SecretrunError } from '../../errors.js';
import { apiError } from '../api-error.js';
import type { ApiSecret } from '../format/secret-json.js';
import { sanitizePath } from '../kv-path.js';
import { parseApiSecret } from '../token-output.js';
import type { LoginInput } from './login-methods.js';

// `secretrun login -method=userpass username=NAME [password=...]` (Vault's
// builtin/credential/userpass/cli.go): without `password` it is asked for on the terminal,
// never echoed; `password=-` reads it from stdin. The password only ever travels in the body.

async function askPassword(input: LoginInput): Promise<string> {
  if (input.nonInteractive) throw new SecretrunError('usage', "'password' not supplied and refusing to pull from stdin");
  const { io } = input;
  if (!io.stdinIsTTY || io.promptSecret === undefined) {
    throw new SecretrunError(
      'usage',
      'An error occurred attempting to ask for a password: standard input is not a terminal. Run this command in a terminal, or give the password as password=- to read it from stdin.',
    );
  }
  const password = await io.promptSecret('Password (will be hidden): ');
  io.stderr.write('\n');
  return password;
}

// Logs in at `auth/<mount>/login/<username>`; the answer's `auth` holds the token.
export async function loginWithUserpass(input: LoginInput): Promise<ApiSecret> {
  const username = input.config['username'] ?? '';
  if (username === '') throw new SecretrunError('usage', "'username' must be specified");
  const given = input.config['password'];
  const password = given === undefined || given === '' ? await askPassword(input) : given;
  const mount = sanitizePath(input.config['mount'] ?? input.mount);
  const path = `auth/${mount}/login/${username}`;
  const response = await input.client.request('POST', path, { body: { password } });
  const secret = response.status === 200 ? parseApiSecret(response) : undefined;
  if (secret?.auth === undefined || secret.auth === null) throw apiError(input.client, '', { method: 'POST', path }, response);
  return secret;
}
