import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { apiError } from '../api-error.js';
import { clientFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { checkSelfAllowed, readTokenArgument } from './token-argument.js';

const revokeFlags = [
  { name: 'accessor', kind: 'bool', usage: 'Treat the argument as an accessor instead of a token.' },
  { name: 'self', kind: 'bool', usage: 'Perform the revocation on the currently authenticated token.' },
  {
    name: 'mode',
    kind: 'string',
    usage: 'Type of revocation to perform. If unspecified, the token and all of the token\'s children are revoked. If "orphan", only the token is revoked, leaving the children as orphans. If "path", tokens created from the given authentication path prefix are deleted along with their children.',
  },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// The argument checks of `vault token revoke`, in its order and words.
function checkArguments(values: { accessor: boolean; self: boolean; mode: string }, count: number): void {
  const usage = (message: string): SecretrunError => new SecretrunError('usage', message);
  if (!['', 'orphan', 'path'].includes(values.mode)) throw usage(`Invalid mode: ${values.mode}`);
  if (values.self && count > 0) throw usage(`Too many arguments with -self (expected 0, got ${count})`);
  if (!values.self && count > 1) throw usage(`Too many arguments (expected 1 or -self, got ${count})`);
  if (!values.self && count < 1) throw usage(`Not enough arguments (expected 1 or -self, got ${count})`);
  if (values.self && values.accessor) throw usage('Cannot use -self with -accessor!');
  if (values.self && values.mode !== '') throw usage('Cannot use -self with -mode!');
  if (values.accessor && values.mode === 'orphan') throw usage('Cannot use -accessor with -mode=orphan!');
  if (values.accessor && values.mode === 'path') throw usage('Cannot use -accessor with -mode=path!');
}

// `token revoke [TOKEN | ACCESSOR]`: revokes a token and its children (or only it, -mode=orphan).
export const tokenRevokeCommand: Command = {
  name: 'token revoke',
  usage: 'secretrun token revoke [options] [TOKEN | ACCESSOR]',
  description:
    'Revokes authentication tokens and their children. The "-mode" flag controls the behavior of the revocation. A TOKEN of "-" is read from stdin.\n\n  $ secretrun token revoke - < token-file\n  $ secretrun token revoke -mode=orphan - < token-file\n  $ secretrun token revoke -accessor 9793c9b3e04a46f3e7b8748d\n  $ secretrun token revoke -self',
  flags: revokeFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('token revoke', revokeFlags, argv, context, { min: 0, max: Infinity });
    checkArguments(values, args.length);
    const token = values.accessor ? (args[0] ?? '').trim() : await readTokenArgument(args[0], context.io);
    const client = await context.client(clientFlagsOf(values));
    let request: { method: string; path: string; body?: JsonObject };
    if (values.self) {
      checkSelfAllowed(client, 'token revoke', 'a TOKEN or -accessor ACCESSOR instead of -self');
      request = { method: 'PUT', path: 'auth/token/revoke-self' };
    } else if (values.accessor) request = { method: 'POST', path: 'auth/token/revoke-accessor', body: { accessor: token } };
    else if (values.mode === 'orphan') request = { method: 'PUT', path: 'auth/token/revoke-orphan', body: { token } };
    else if (values.mode === 'path') request = { method: 'PUT', path: `sys/leases/revoke-prefix/${token}` };
    else request = { method: 'PUT', path: 'auth/token/revoke', body: { token } };
    const response = await client.request(request.method, request.path, request.body === undefined ? {} : { body: request.body });
    if (response.status !== 200 && response.status !== 204) throw apiError(client, 'Error revoking token', request, response);
    context.io.stdout.write('Success! Revoked token (if it existed)\n');
    return 0;
  },
};
