import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { apiError } from '../api-error.js';
import { clientFlags, outputFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { parseApiSecret, printApiSecret } from '../token-output.js';
import { checkSelfAllowed, readTokenArgument } from './token-argument.js';

const lookupFlags = [
  { name: 'accessor', kind: 'bool', usage: 'Treat the argument as an accessor instead of a token. When this option is selected, the output will NOT include the token.' },
  ...outputFlags,
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `token lookup [TOKEN | ACCESSOR]`: a token's properties (lookup-self without an argument).
export const tokenLookupCommand: Command = {
  name: 'token lookup',
  usage: 'secretrun token lookup [options] [TOKEN | ACCESSOR]',
  description:
    'Displays information about a token or accessor. If a TOKEN is not provided, the locally authenticated token is used (at a server). A TOKEN of "-" is read from stdin.\n\n  $ secretrun token lookup\n  $ secretrun token lookup - < token-file\n  $ secretrun token lookup -accessor 9793c9b3e04a46f3e7b8748d',
  flags: lookupFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('token lookup', lookupFlags, argv, context, { min: 0, max: Infinity });
    if (values.accessor && args.length !== 1) {
      throw new SecretrunError('usage', `${args.length < 1 ? 'Not enough' : 'Too many'} arguments with -accessor (expected 1, got ${args.length})`);
    }
    if (args.length > 1) throw new SecretrunError('usage', `Too many arguments (expected 0-1, got ${args.length})`);
    const token = values.accessor ? (args[0] ?? '').trim() : await readTokenArgument(args[0], context.io);
    const client = await context.client(clientFlagsOf(values));
    let request: { method: string; path: string; body?: JsonObject };
    if (token === '') {
      checkSelfAllowed(client, 'token lookup', 'a TOKEN or -accessor ACCESSOR');
      request = { method: 'GET', path: 'auth/token/lookup-self' };
    } else if (values.accessor) request = { method: 'POST', path: 'auth/token/lookup-accessor', body: { accessor: token } };
    else request = { method: 'POST', path: 'auth/token/lookup', body: { token } };
    const response = await client.request(request.method, request.path, request.body === undefined ? {} : { body: request.body });
    const secret = response.status === 200 ? parseApiSecret(response) : undefined;
    if (secret === undefined) throw apiError(client, 'Error looking up token', request, response);
    return printApiSecret(context, secret, values.field);
  },
};
