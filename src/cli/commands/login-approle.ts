import { SecretrunError } from '../../errors.js';
import { apiError } from '../api-error.js';
import type { ApiSecret } from '../format/secret-json.js';
import { sanitizePath } from '../kv-path.js';
import { parseApiSecret } from '../token-output.js';
import type { LoginInput } from './login-methods.js';

// `secretrun login -method=approle role_id=... secret_id=...`: what CI jobs and Docker
// entrypoints run (the vault CLI has no AppRole handler; its users `vault write
// auth/approle/login`, which works here too). `secret_id=-` reads the secret-id from stdin, so
// it never needs to be on the command line; a role without bind_secret_id needs none.
export async function loginWithApprole(input: LoginInput): Promise<ApiSecret> {
  const roleId = input.config['role_id'] ?? '';
  if (roleId === '') throw new SecretrunError('usage', "'role_id' must be specified");
  const secretId = input.config['secret_id'] ?? '';
  const mount = sanitizePath(input.config['mount'] ?? input.mount);
  const path = `auth/${mount}/login`;
  const response = await input.client.request('POST', path, { body: secretId === '' ? { role_id: roleId } : { role_id: roleId, secret_id: secretId } });
  const secret = response.status === 200 ? parseApiSecret(response) : undefined;
  if (secret?.auth === undefined || secret.auth === null) throw apiError(input.client, '', { method: 'POST', path }, response);
  return secret;
}
