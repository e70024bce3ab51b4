import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { apiError } from '../api-error.js';
import { clientFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { FlagSpec } from '../flags.js';
import { parseApiSecret, printApiSecret } from '../token-output.js';
import { checkSelfAllowed, readTokenArgument } from './token-argument.js';

const renewFlags = [
  { name: 'accessor', kind: 'bool', usage: 'Treat the argument as an accessor instead of a token. When this option is selected, the output will NOT include the token.' },
  {
    name: 'increment',
    kind: 'string',
    aliases: ['i'],
    example: 'duration',
    usage: 'Request a specific increment for renewal. This increment may not be honored, for instance in the case of periodic tokens. If not supplied, the default TTL is used. This is specified as a numeric string with suffix like "30s" or "5m".',
  },
  { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml" ($VAULT_FORMAT).' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `token renew [TOKEN]`: extends a token's lease (renew-self without an argument).
export const tokenRenewCommand: Command = {
  name: 'token renew',
  usage: 'secretrun token renew [options] [TOKEN]',
  description:
    'Renews a token\'s lease, extending the amount of time it can be used. If a TOKEN is not provided, the locally authenticated token is used (at a server). A TOKEN of "-" is read from stdin. Lease renewal will fail if the token is not renewable, the token has already been revoked, or if the token has already reached its maximum TTL.\n\n  $ secretrun token renew\n  $ secretrun token renew -increment=30m - < token-file',
  flags: renewFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('token renew', renewFlags, argv, context, { min: 0, max: Infinity });
    if (args.length > 1) throw new SecretrunError('usage', `Too many arguments (expected 1, got ${args.length})`);
    // Whole seconds; an increment under a second is none (Vault's truncateToSeconds).
    const increment = values.increment === '' ? 0 : Math.max(0, Math.trunc(parseDurationFlag(values.increment, 'increment')));
    const token = values.accessor ? (args[0] ?? '').trim() : await readTokenArgument(args[0], context.io);
    const client = await context.client(clientFlagsOf(values));
    let request: { method: string; path: string; body: JsonObject };
    if (token === '') {
      checkSelfAllowed(client, 'token renew', 'a TOKEN or -accessor ACCESSOR');
      request = { method: 'PUT', path: 'auth/token/renew-self', body: { increment } };
    } else if (values.accessor) request = { method: 'POST', path: 'auth/token/renew-accessor', body: { accessor: token, increment } };
    else request = { method: 'PUT', path: 'auth/token/renew', body: { token, increment } };
    const response = await client.request(request.method, request.path, { body: request.body });
    const secret = response.status === 200 ? parseApiSecret(response) : undefined;
    if (secret === undefined) throw apiError(client, 'Error renewing token', request, response);
    return printApiSecret(context, secret, '');
  },
};
