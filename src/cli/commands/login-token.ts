import { SecretrunError } from '../../errors.js';
import { parseGoBool } from '../../go/strconv.js';
import { apiError } from '../api-error.js';
import type { ApiSecret } from '../format/secret-json.js';
import { buildSecretAuth, parseApiSecret } from '../token-output.js';
import type { LoginInput } from './login-methods.js';

// `secretrun login [TOKEN]`, the token auth method (Vault's builtin/credential/token/cli.go):
// the token from the arguments (`-` reads stdin), else asked for on the terminal without echo;
// checked with lookup-self, whose answer becomes the `auth` block the login prints.

async function promptForToken(input: LoginInput): Promise<string> {
  if (input.nonInteractive) throw new SecretrunError('usage', "'token' not supplied and refusing to pull from stdin");
  const { io } = input;
  if (!io.stdinIsTTY || io.promptSecret === undefined) {
    throw new SecretrunError(
      'usage',
      'An error occurred attempting to ask for a token: standard input is not a terminal. If you want to pipe the value, pass "-" as the argument to read from stdin.',
    );
  }
  const token = await io.promptSecret('Token (will be hidden): ');
  io.stderr.write('\n');
  return token;
}

// Logs in with a token: the secret Vault's token login handler builds from lookup-self.
export async function loginWithToken(input: LoginInput): Promise<ApiSecret> {
  let lookup = true;
  const lookupText = input.config['lookup'];
  if (lookupText !== undefined) {
    const parsed = parseGoBool(lookupText);
    if (!parsed.ok) throw new SecretrunError('usage', `Failed to parse "lookup" as boolean: strconv.ParseBool: parsing ${JSON.stringify(lookupText)}: invalid syntax`);
    lookup = parsed.value;
  }
  const given = input.config['token'];
  const token = (given ?? (await promptForToken(input))).trim();
  if (token === '') throw new SecretrunError('usage', 'a token must be passed to auth, please view the help for more information');
  const empty = { request_id: '', lease_id: '', lease_duration: 0, renewable: false, data: null, warnings: null };
  if (!lookup) return { ...empty, auth: buildSecretAuth({ client_token: token }) };
  const response = await input.client.request('GET', 'auth/token/lookup-self', { token });
  const secret = response.status === 200 ? parseApiSecret(response) : undefined;
  if (secret?.data === null || secret?.data === undefined) {
    const error = apiError(input.client, '', { method: 'GET', path: 'auth/token/lookup-self' }, response);
    throw new SecretrunError(error.code, `error looking up token: ${error.message}`);
  }
  const data = secret.data;
  const tokenPolicies = Array.isArray(data['policies']) ? data['policies'].map(String) : [];
  const identityPolicies = Array.isArray(data['identity_policies']) ? data['identity_policies'].map(String) : null;
  return {
    ...empty,
    auth: buildSecretAuth({
      client_token: data['id'],
      accessor: data['accessor'],
      policies: [...tokenPolicies, ...(identityPolicies ?? [])],
      token_policies: tokenPolicies,
      identity_policies: identityPolicies,
      metadata: data['meta'],
      lease_duration: typeof data['ttl'] === 'number' ? data['ttl'] : 0,
      renewable: data['renewable'] === true,
    }),
  };
}
