import { tokenHelperPath, writeTokenFile } from '../../client/token-helper.js';
import { SecretrunError } from '../../errors.js';
import { describeFsError, renderFsFailure } from '../../fs/fs-error.js';
import { clientFlags, outputFlags, type Command, type CommandContext } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import type { ApiSecret } from '../format/secret-json.js';
import { wrapText, maxLineLength } from '../format/wrap.js';
import { readKvData } from '../kv-data-args.js';
import { sanitizePath } from '../kv-path.js';
import { printApiSecret } from '../token-output.js';
import { loginMethods } from './login-methods.js';

const loginFlags = [
  { name: 'method', kind: 'string', default: 'token', usage: 'Type of authentication to use such as "userpass" or "approle". Note this corresponds to the TYPE, not the enabled path. Use -path to specify the path where the authentication is enabled.' },
  { name: 'path', kind: 'string', usage: 'Remote path where the authentication is enabled. This defaults to the TYPE of method (e.g. userpass -> userpass/).' },
  { name: 'no-store', kind: 'bool', usage: 'Do not persist the token to the token helper (~/.vault-token) after authentication for use in future requests. The token will only be displayed in the command output.' },
  { name: 'no-print', kind: 'bool', usage: 'Do not display the token. The token will be still be stored to the configured token helper.' },
  { name: 'token-only', kind: 'bool', usage: 'Output only the token with no verification. This flag is a shortcut for "-field=token -no-store". Setting those flags to other values will have no affect.' },
  { name: 'non-interactive', kind: 'bool', usage: 'When set true, prevents asking the user for input via the terminal.' },
  ...outputFlags,
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

const wrap = (text: string): string => wrapText(text, maxLineLength);

// K=V arguments as the strings a login method takes (Vault's parseArgsDataString).
async function readConfig(args: readonly string[], context: CommandContext): Promise<Record<string, string>> {
  const data = await readKvData(args, context.io).catch((error: unknown) => {
    if (error instanceof SecretrunError) throw new SecretrunError('usage', `Error parsing configuration: ${error.message}`);
    throw error;
  });
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string') config[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') config[key] = String(value);
    else throw new SecretrunError('usage', `Error parsing configuration: failed to convert values to strings: "${key}" is not a string`);
  }
  return config;
}

// Stores the token as Vault's token helper does; on failure, says so and still shows the token.
async function storeToken(context: CommandContext, secret: ApiSecret, token: string, field: string): Promise<number | undefined> {
  const { io } = context;
  const path = tokenHelperPath(io.env);
  try {
    await writeTokenFile(path, token);
  } catch (error) {
    io.stderr.write(`Error storing token: cannot write ${path}: ${renderFsFailure(describeFsError(error))}\n`);
    io.stderr.write(`${wrap('Authentication was successful, but the token was not persisted. The resulting token is shown below for your records.')}\n\n`);
    await printApiSecret(context, secret, field);
    return 2;
  }
  if (io.env['VAULT_TOKEN']) {
    io.stderr.write(`${wrap('WARNING! The VAULT_TOKEN environment variable is set! The value of this variable will take precedence; if this is unwanted please unset VAULT_TOKEN or update its value accordingly.')}\n\n`);
  }
  return undefined;
}

// `login [TOKEN | K=V...]`: authenticates to a server and stores the token for later commands.
export const loginCommand: Command = {
  name: 'login',
  usage: 'secretrun login [options] [AUTH K=V...]',
  description:
    'Authenticates users or machines to a Vault-compatible server using the provided arguments. A successful authentication results in a token, stored in ~/.vault-token (the vault CLI\'s token helper) for future requests unless -no-store is given. Logging in needs a server (VAULT_ADDR or -address): the local store is used with its key and needs no token.\n\nThe default auth method is "token". If not supplied via the CLI, the token is asked for on the terminal. If the argument is "-", it is read from stdin.\n\n  $ secretrun login - < token-file\n  $ secretrun login -method=userpass username=my-username\n  $ secretrun login -method=approle role_id=... secret_id=-',
  flags: loginFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('login', loginFlags, argv, context, { min: 0, max: Infinity });
    const { io } = context;
    const noStore = values['no-store'] || values['token-only'];
    const field = values['token-only'] ? 'token' : values.field;
    if (noStore && values['no-print']) throw new SecretrunError('usage', '-no-store and -no-print cannot be used together');
    const method = sanitizePath(values.method) || 'token';
    const login = loginMethods[method];
    if (login === undefined) {
      throw new SecretrunError('usage', wrap(`Unknown auth method: ${method}. Use "secretrun auth list" to see the complete list of auth methods. Additionally, some auth methods are only available via the HTTP API.`));
    }
    if ((values.address || io.env['VAULT_ADDR'] || '') === '') {
      throw new SecretrunError('usage', 'secretrun login needs a server: the local store is used with its key, which is root, and needs no token', {
        hint: 'Set VAULT_ADDR or pass -address to log in to a server.',
      });
    }
    // A bare first argument of the token method is the token.
    const config = await readConfig(method === 'token' && args[0] !== undefined && !args[0].includes('=') ? [`token=${args[0]}`, ...args.slice(1)] : args, context);
    const mount = values.path === '' ? `${method}/` : `${sanitizePath(values.path)}/`;
    config['mount'] ??= mount;
    const client = await context.client(clientFlagsOf(values));
    let secret: ApiSecret;
    try {
      secret = await login({ config, mount, client, io, nonInteractive: values['non-interactive'] });
    } catch (error) {
      // Whatever the method refused, the vault CLI exits 2 ("Error authenticating").
      if (error instanceof SecretrunError) throw new SecretrunError(error.code === 'usage' || error.code === 'input' ? 'invalid_request' : error.code, `Error authenticating: ${error.message}`);
      throw error;
    }
    const token = secret.auth?.['client_token'];
    if (typeof token !== 'string' || token === '') {
      throw new SecretrunError('remote', wrap('Vault returned a secret, but the secret has no authentication information attached. This should never happen and is likely a bug.'));
    }
    if (!noStore) {
      const failed = await storeToken(context, secret, token, field);
      if (failed !== undefined) return failed;
    } else if (!values['token-only']) {
      io.stderr.write(`${wrap('The token was not stored in token helper. Set the VAULT_TOKEN environment variable or pass the token below with each request to Vault.')}\n\n`);
    }
    if (values['no-print']) return 0;
    if (field !== '') return printApiSecret(context, secret, field);
    if (context.global.format === 'table') {
      io.stdout.write(`${wrap('Success! You are now authenticated. The token information displayed below is already stored in the token helper. You do NOT need to run "secretrun login" again. Future requests will automatically use this token.')}\n\n`);
    }
    return printApiSecret(context, secret, '');
  },
};
