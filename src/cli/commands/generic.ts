import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { apiError, readAnswered, requestExpecting, writeSucceeded } from '../api-error.js';
import { clientFlags, outputFlags, type Command, type CommandContext } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import type { ApiSecret } from '../format/secret-json.js';
import { renderFieldOutput } from '../format/field-output.js';
import { renderSecretTable } from '../format/secret-table.js';
import { renderKeyList } from '../format/list-output.js';
import { readKvData } from '../kv-data-args.js';
import { sanitizePath } from '../kv-path.js';
import { printWarnings, renderSecret, renderValue, secretOf } from '../secret-output.js';
import { parseApiSecret } from '../token-output.js';

// The rows of a whole secret by name, for `-field` (Vault's RawSecretField).
function secretRows(secret: ApiSecret): Record<string, unknown> {
  const rows: Record<string, unknown> = {};
  if (secret.lease_duration > 0) {
    if (secret.lease_id === '') rows['refresh_interval'] = secret.lease_duration;
    else {
      rows['lease_id'] = secret.lease_id;
      rows['lease_duration'] = secret.lease_duration;
      rows['lease_renewable'] = secret.renewable;
    }
  }
  const auth = secret.auth;
  if (auth) {
    rows['token'] = auth['client_token'];
    rows['token_accessor'] = auth['accessor'];
    rows['token_duration'] = auth['lease_duration'];
    rows['token_renewable'] = auth['renewable'];
    rows['token_policies'] = auth['token_policies'];
    rows['policies'] = auth['policies'];
  }
  return { ...rows, ...(secret.data ?? {}) };
}

// Prints a secret as `vault read`/`vault write` do: one field, JSON/YAML, or a Key/Value table.
async function printSecret(context: CommandContext, secret: ApiSecret, field: string): Promise<number> {
  const { io, global } = context;
  if (field !== '') {
    io.stdout.write(await renderFieldOutput(field, secretRows(secret)[field], global.format, io.stdout.isTTY));
    return 0;
  }
  if (global.format !== 'table') {
    io.stdout.write(await renderSecret(secret, global.format));
    return 0;
  }
  printWarnings(io, secret);
  const table = renderSecretTable(secret);
  if (table !== '') io.stdout.write(`${table}\n`);
  return 0;
}

const readFlags = [...outputFlags, ...clientFlags] as const satisfies readonly FlagSpec[];
const writeFlags = [
  ...readFlags,
  { name: 'force', kind: 'bool', aliases: ['f'], usage: 'Allow the operation to continue with no key=value pairs. This allows writing to keys that do not need or expect data (secretrun write -f auth/approle/role/ci/secret-id).' },
] as const satisfies readonly FlagSpec[];

// `read PATH`: any API path, as `vault read`.
export const readCommand: Command = {
  name: 'read',
  usage: 'secretrun read [options] PATH',
  description: 'Reads data from the given API path and prints it, like vault read.\n\n  $ secretrun read secret/config\n  $ secretrun read -field=current_version secret/metadata/foo',
  flags: readFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('read', readFlags, argv, context, { min: 1, max: 1 });
    const path = sanitizePath(args[0] ?? '');
    const client = await context.client(clientFlagsOf(values));
    const response = await client.request('GET', path);
    const secret = secretOf(response);
    if (secret === undefined && (response.status === 404 || response.status === 200)) throw new SecretrunError('not_found', `No value found at ${path}`);
    if (secret === undefined || (response.status !== 200 && response.status !== 404)) throw apiError(client, `Error reading ${path}`, { method: 'GET', path }, response);
    return printSecret(context, secret, values.field);
  },
};

// `write PATH key=value...`: any API path, as `vault write`.
export const writeCommand: Command = {
  name: 'write',
  usage: 'secretrun write [options] PATH [DATA K=V...]',
  description: 'Writes data to the given API path, like vault write. Data is key=value, key=@file, key=-, @file.json or -.\n\n  $ secretrun write secret/config max_versions=5\n  $ secretrun write sys/mounts/team type=kv-v2',
  flags: writeFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('write', writeFlags, argv, context, { min: 1, max: Infinity });
    if (args.length === 1 && !values.force) throw new SecretrunError('usage', 'Must supply data or use -force');
    const path = sanitizePath(args[0] ?? '');
    const data = await readKvData(args.slice(1), context.io);
    const client = await context.client(clientFlagsOf(values));
    const response = await requestExpecting(client, `Error writing data to ${path}`, { method: 'PUT', path }, writeSucceeded, { body: data as JsonObject });
    // A login or token creation answers with `auth` and no data: that is the secret to show.
    const secret = response.json?.['auth'] ? parseApiSecret(response) : secretOf(response);
    if (secret === undefined) {
      if (context.global.format === 'table') context.io.stdout.write(`Success! Data written to: ${path}\n`);
      return 0;
    }
    return printSecret(context, secret, values.field);
  },
};

const listFlags = [...outputFlags.filter((flag) => flag.name === 'format'), ...clientFlags] as const satisfies readonly FlagSpec[];

// `list PATH`: the keys under any API path, as `vault list`.
export const listCommand: Command = {
  name: 'list',
  usage: 'secretrun list [options] PATH',
  description: 'Lists the keys at the given API path, like vault list.\n\n  $ secretrun list secret/metadata/api-keys',
  flags: listFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('list', listFlags, argv, context, { min: 1, max: 1 });
    const path = `${sanitizePath(args[0] ?? '')}/`;
    const client = await context.client(clientFlagsOf(values));
    const response = await requestExpecting(client, `Error listing ${path}`, { method: 'GET', path }, readAnswered, { query: { list: 'true' } });
    const keys = secretOf(response)?.data?.['keys'];
    const found = Array.isArray(keys) && keys.length > 0 ? keys : undefined;
    if (context.global.format !== 'table') {
      context.io.stdout.write(await renderValue(found ?? {}, context.global.format));
      return found === undefined ? 2 : 0;
    }
    if (found === undefined) throw new SecretrunError('not_found', `No value found at ${path}`);
    context.io.stdout.write(`${renderKeyList(found)}\n`);
    return 0;
  },
};

const deleteFlags = [...clientFlags] as const;

// `delete PATH`: any API path, as `vault delete`.
export const deleteCommand: Command = {
  name: 'delete',
  usage: 'secretrun delete [options] PATH',
  description: 'Deletes data at the given API path, like vault delete.\n\n  $ secretrun delete secret/data/foo',
  flags: deleteFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('delete', deleteFlags, argv, context, { min: 1, max: 1 });
    const path = sanitizePath(args[0] ?? '');
    const client = await context.client(clientFlagsOf(values));
    await requestExpecting(client, `Error deleting ${path}`, { method: 'DELETE', path }, writeSucceeded);
    context.io.stdout.write(`Success! Data deleted (if it existed) at: ${path}\n`);
    return 0;
  },
};
