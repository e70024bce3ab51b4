import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { apiError, requestExpecting, writeSucceeded } from '../api-error.js';
import { clientFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { renderMountsDetailedTable, renderMountsTable, type MountOutput } from '../format/mounts-table.js';
import { isJsonObject } from '../../json.js';
import { sanitizePath } from '../kv-path.js';
import { renderValue } from '../secret-output.js';

const listFlags = [
  { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml".' },
  { name: 'detailed', kind: 'bool', usage: 'Print detailed information such as TTLs and replication status about each secrets engine.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `secrets list`: the mounted secrets engines.
export const secretsListCommand: Command = {
  name: 'secrets list',
  usage: 'secretrun secrets list [options]',
  description: 'Lists the enabled secrets engines: their paths, types, accessors and descriptions.\n\n  $ secretrun secrets list -detailed',
  flags: listFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('secrets list', listFlags, argv, context, { min: 0, max: 0 });
    const { io, global } = context;
    const client = await context.client(clientFlagsOf(values));
    const response = await client.request('GET', 'sys/mounts');
    const data = response.json?.['data'];
    if (response.status !== 200 || !isJsonObject(data)) {
      throw apiError(client, 'Error listing secrets engines', { method: 'GET', path: 'sys/mounts' }, response);
    }
    if (global.format !== 'table') {
      io.stdout.write(await renderValue(data, global.format));
      return 0;
    }
    const mounts = data as unknown as Record<string, MountOutput>;
    io.stdout.write(`${global.detailed || values.detailed ? renderMountsDetailedTable(mounts) : renderMountsTable(mounts)}\n`);
    return 0;
  },
};

const enableFlags = [
  { name: 'path', kind: 'string', usage: 'Place where the secrets engine will be accessible; defaults to the engine type.' },
  { name: 'description', kind: 'string', usage: 'Human-friendly description for the purpose of this engine.' },
  { name: 'version', kind: 'int', usage: 'Select the version of the engine to run (for kv: 1 or 2).' },
  { name: 'options', kind: 'map', usage: 'Key-value pair provided as key=value for the mount options; may be repeated.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `secrets enable`: mount a KV engine at a path.
export const secretsEnableCommand: Command = {
  name: 'secrets enable',
  usage: 'secretrun secrets enable [options] TYPE',
  description:
    'Enables a secrets engine at a given path. secretrun serves the key/value engine: types kv, kv-v1 and kv-v2.\n\n  $ secretrun secrets enable -path=secret kv-v2\n  $ secretrun secrets enable -path=legacy -version=1 kv',
  flags: enableFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('secrets enable', enableFlags, argv, context, { min: 1, max: 1 });
    const type = args[0] ?? '';
    const mountPath = `${sanitizePath(values.path || type)}/`;
    const options: JsonObject = { ...values.options };
    if (values.version > 0) options['version'] = String(values.version);
    const body: JsonObject = { type, description: values.description, options, config: {} };
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/mounts/${mountPath.slice(0, -1)}`;
    await requestExpecting(client, 'Error enabling', { method: 'POST', path }, writeSucceeded, { body });
    context.io.stdout.write(`Success! Enabled the ${type} secrets engine at: ${mountPath}\n`);
    return 0;
  },
};

const disableFlags = [...clientFlags] as const;

// `secrets disable`: unmount an engine and delete everything stored in it.
export const secretsDisableCommand: Command = {
  name: 'secrets disable',
  usage: 'secretrun secrets disable [options] PATH',
  description: 'Disables a secrets engine at the given path. All secrets stored in it are deleted.\n\n  $ secretrun secrets disable legacy/',
  flags: disableFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('secrets disable', disableFlags, argv, context, { min: 1, max: 1 });
    const mountPath = `${sanitizePath(args[0] ?? '')}/`;
    if (mountPath === '/') throw new SecretrunError('usage', 'Missing PATH: name the mount to disable, e.g. secretrun secrets disable legacy/');
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/mounts/${mountPath.slice(0, -1)}`;
    await requestExpecting(client, `Error disabling secrets engine at ${mountPath}`, { method: 'DELETE', path }, writeSucceeded);
    context.io.stdout.write(`Success! Disabled the secrets engine (if it existed) at: ${mountPath}\n`);
    return 0;
  },
};

const tuneFlags = [
  { name: 'description', kind: 'string', usage: 'Human-friendly description of the mount.' },
  { name: 'options', kind: 'map', usage: 'Key-value pair provided as key=value for the mount options; may be repeated.' },
  { name: 'default-lease-ttl', kind: 'string', usage: 'The default lease TTL for this secrets engine (seconds).' },
  { name: 'max-lease-ttl', kind: 'string', usage: 'The maximum lease TTL for this secrets engine (seconds).' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

function ttlSeconds(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new SecretrunError('input', `invalid value "${text}" for flag -${flag}: use a whole number of seconds`);
  return Number(text);
}

// `secrets tune`: change a mount's description or options.
export const secretsTuneCommand: Command = {
  name: 'secrets tune',
  usage: 'secretrun secrets tune [options] PATH',
  description: 'Tunes the configuration options for the secrets engine at the given path.\n\n  $ secretrun secrets tune -description="team secrets" secret/',
  flags: tuneFlags,
  async run(argv, context) {
    const parsed = parseCommandLine('secrets tune', tuneFlags, argv, context, { min: 1, max: 1 });
    const { flags: values, args, given } = parsed;
    const mountPath = `${sanitizePath(args[0] ?? '')}/`;
    const body: JsonObject = {};
    if (given.has('description')) body['description'] = values.description;
    if (given.has('options')) body['options'] = values.options;
    if (given.has('default-lease-ttl')) body['default_lease_ttl'] = ttlSeconds(values['default-lease-ttl'], 'default-lease-ttl');
    if (given.has('max-lease-ttl')) body['max_lease_ttl'] = ttlSeconds(values['max-lease-ttl'], 'max-lease-ttl');
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/mounts/${mountPath.slice(0, -1)}/tune`;
    await requestExpecting(client, `Error tuning secrets engine ${mountPath}`, { method: 'POST', path }, writeSucceeded, { body });
    context.io.stdout.write(`Success! Tuned the secrets engine at: ${mountPath}\n`);
    return 0;
  },
};
