import { SecretrunError } from '../../errors.js';
import { compareGoStrings } from '../../go/string-order.js';
import type { JsonObject } from '../../json.js';
import { apiError } from '../api-error.js';
import { clientFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { renderValue } from '../secret-output.js';
import { readTokenArgument } from './token-argument.js';

const capabilitiesFlags = [
  { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml" ($VAULT_FORMAT).' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// The capabilities a sys/capabilities answer holds for `path`: under the path's own key, else
// under `capabilities` (Vault's api client); undefined when neither is there.
function capabilitiesOf(data: unknown, path: string): string[] | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  for (const key of [path, 'capabilities']) {
    const value = record[key];
    if (Array.isArray(value) && value.length > 0) return value.map(String);
  }
  return undefined;
}

// `token capabilities [TOKEN] PATH`: what a token (or the caller's own) may do on a path.
export const tokenCapabilitiesCommand: Command = {
  name: 'token capabilities',
  usage: 'secretrun token capabilities [options] [TOKEN] PATH',
  description:
    'Fetches the capabilities of a token for a given path. If a TOKEN is provided as an argument, the "sys/capabilities" endpoint and permission is used. If no TOKEN is provided, the "sys/capabilities-self" endpoint and permission is used with the locally authenticated token. A TOKEN of "-" is read from stdin.\n\n  $ secretrun token capabilities secret/data/foo\n  $ secretrun token capabilities - secret/data/foo < token-file',
  flags: capabilitiesFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('token capabilities', capabilitiesFlags, argv, context, { min: 0, max: Infinity });
    if (args.length === 0) throw new SecretrunError('usage', 'Not enough arguments (expected 1-2, got 0)');
    if (args.length > 2) throw new SecretrunError('usage', `Too many arguments (expected 1-2, got ${args.length})`);
    const path = (args.length === 1 ? args[0] : args[1]) ?? '';
    const token = args.length === 2 ? await readTokenArgument(args[0], context.io) : '';
    const client = await context.client(clientFlagsOf(values));
    const request = token === '' ? { method: 'POST', path: 'sys/capabilities-self' } : { method: 'POST', path: 'sys/capabilities' };
    const body: JsonObject = token === '' ? { path } : { token, path };
    const response = await client.request(request.method, request.path, { body });
    if (response.status !== 200) throw apiError(client, 'Error listing capabilities', request, response);
    const data = response.json?.['data'];
    if (data === null || data === undefined) throw new SecretrunError('remote', 'Error listing capabilities: data from server response is empty');
    const capabilities = capabilitiesOf(data, path);
    if (capabilities === undefined) throw new SecretrunError('usage', 'No capabilities found');
    if (context.global.format === 'table') {
      context.io.stdout.write(`${[...capabilities].sort(compareGoStrings).join(', ')}\n`);
      return 0;
    }
    context.io.stdout.write(await renderValue(capabilities, context.global.format));
    return 0;
  },
};
