import { SecretrunError } from '../../errors.js';
import { isJsonObject, type JsonObject } from '../../json.js';
import { apiError, requestExpecting, writeSucceeded } from '../api-error.js';
import { clientFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { FlagSpec } from '../flags.js';
import { renderAuthDetailedTable, renderAuthTable, type AuthMountOutput } from '../format/auth-table.js';
import { sanitizePath } from '../kv-path.js';
import { renderValue } from '../secret-output.js';

// `auth enable|disable|list|tune`, as the vault CLI's command/auth_*.go: methods live in
// `sys/auth/<path>`; `tune` posts to `sys/mounts/auth/<path>/tune` as the vault CLI does.

const enableFlags = [
  { name: 'description', kind: 'string', usage: 'Human-friendly description for the purpose of this auth method.' },
  { name: 'path', kind: 'string', usage: 'Place where the auth method will be accessible. This must be unique across all auth methods. This defaults to the "type" of the auth method. The auth method will be accessible at "/auth/<path>".' },
  { name: 'default-lease-ttl', kind: 'string', example: 'duration', usage: 'The default lease TTL for this auth method: the TTL of the tokens it issues unless a user or role sets one. If unspecified, this defaults to the server\'s (768h).' },
  { name: 'max-lease-ttl', kind: 'string', example: 'duration', usage: 'The maximum lease TTL for this auth method. If unspecified, this defaults to the server\'s (768h).' },
  { name: 'options', kind: 'map', usage: 'Key-value pair provided as key=value for the mount options. This can be specified multiple times.' },
  { name: 'local', kind: 'bool', usage: 'Mark the auth method as local-only (kept for compatibility; secretrun does not replicate).' },
  { name: 'seal-wrap', kind: 'bool', usage: 'Enable seal wrapping of critical values (kept for compatibility).' },
  { name: 'external-entropy-access', kind: 'bool', usage: 'Enable the auth method to access external entropy (kept for compatibility).' },
  { name: 'token-type', kind: 'string', usage: 'Sets a forced token type for the mount: "service" or "default-service" (secretrun issues service tokens).' },
  { name: 'version', kind: 'int', usage: 'Select the version of the auth method to run. Not supported by the built-in auth methods.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// A duration flag as the API takes it (Go's Duration.String of whole seconds is enough: "90s").
function durationConfig(text: string, flag: string): string {
  return `${parseDurationFlag(text, flag)}s`;
}

// `auth enable TYPE`.
export const authEnableCommand: Command = {
  name: 'auth enable',
  usage: 'secretrun auth enable [options] TYPE',
  description:
    'Enables a new auth method. An auth method is responsible for authenticating users or machines and assigning them policies with which they can access the server. secretrun serves the "userpass" and "approle" methods; "token" is always enabled.\n\n  $ secretrun auth enable userpass\n  $ secretrun auth enable -path=ci approle',
  flags: enableFlags,
  async run(argv, context) {
    const { flags: values, args, given } = parseCommandLine('auth enable', enableFlags, argv, context, { min: 1, max: 1 });
    const type = (args[0] ?? '').trim();
    const methodPath = `${sanitizePath(values.path || type)}/`;
    const options: JsonObject = { ...values.options };
    if (values.version > 0) options['version'] = String(values.version);
    const config: JsonObject = {
      default_lease_ttl: given.has('default-lease-ttl') ? durationConfig(values['default-lease-ttl'], 'default-lease-ttl') : '0s',
      max_lease_ttl: given.has('max-lease-ttl') ? durationConfig(values['max-lease-ttl'], 'max-lease-ttl') : '0s',
    };
    if (given.has('token-type')) config['token_type'] = values['token-type'];
    const body: JsonObject = {
      type,
      description: values.description,
      config,
      local: values.local,
      seal_wrap: values['seal-wrap'],
      external_entropy_access: values['external-entropy-access'],
      options,
    };
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/auth/${methodPath.slice(0, -1)}`;
    await requestExpecting(client, `Error enabling ${type} auth`, { method: 'POST', path }, writeSucceeded, { body });
    context.io.stdout.write(`Success! Enabled ${type} auth method at: ${methodPath}\n`);
    return 0;
  },
};

const disableFlags = [...clientFlags] as const satisfies readonly FlagSpec[];

// `auth disable PATH`: deletes the method's users, roles and secret-ids with it.
export const authDisableCommand: Command = {
  name: 'auth disable',
  usage: 'secretrun auth disable [options] PATH',
  description: 'Disables an existing auth method at the given PATH. Its users, roles and secret-ids are deleted; tokens it issued stay valid until they expire or are revoked.\n\n  $ secretrun auth disable userpass/',
  flags: disableFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('auth disable', disableFlags, argv, context, { min: 1, max: 1 });
    const methodPath = `${sanitizePath(args[0] ?? '')}/`;
    if (methodPath === '/') throw new SecretrunError('usage', 'Missing PATH: name the auth method to disable, e.g. secretrun auth disable userpass/');
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/auth/${methodPath.slice(0, -1)}`;
    await requestExpecting(client, `Error disabling auth method at ${methodPath}`, { method: 'DELETE', path }, writeSucceeded);
    context.io.stdout.write(`Success! Disabled the auth method (if it existed) at: ${methodPath}\n`);
    return 0;
  },
};

const listFlags = [
  { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml".' },
  { name: 'detailed', kind: 'bool', usage: 'Print detailed information such as configuration and replication status about each auth method.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `auth list`.
export const authListCommand: Command = {
  name: 'auth list',
  usage: 'secretrun auth list [options]',
  description: 'Lists the enabled auth methods: their paths, types, accessors and descriptions.\n\n  $ secretrun auth list -detailed',
  flags: listFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('auth list', listFlags, argv, context, { min: 0, max: 0 });
    const { io, global } = context;
    const client = await context.client(clientFlagsOf(values));
    const response = await client.request('GET', 'sys/auth');
    const data = response.json?.['data'];
    if (response.status !== 200 || !isJsonObject(data)) throw apiError(client, 'Error listing enabled authentications', { method: 'GET', path: 'sys/auth' }, response);
    if (global.format !== 'table') {
      io.stdout.write(await renderValue(data, global.format));
      return 0;
    }
    const auths = data as unknown as Record<string, AuthMountOutput>;
    io.stdout.write(`${global.detailed || values.detailed ? renderAuthDetailedTable(auths) : renderAuthTable(auths)}\n`);
    return 0;
  },
};

const tuneFlags = [
  { name: 'description', kind: 'string', usage: 'Human-friendly description of this auth method. This overrides the current stored value, if any.' },
  { name: 'default-lease-ttl', kind: 'string', example: 'duration', usage: 'The default lease TTL for this auth method.' },
  { name: 'max-lease-ttl', kind: 'string', example: 'duration', usage: 'The maximum lease TTL for this auth method.' },
  { name: 'token-type', kind: 'string', usage: 'Sets a forced token type for the mount: "service" or "default-service".' },
  { name: 'options', kind: 'map', usage: 'Key-value pair provided as key=value for the mount options. This can be specified multiple times.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `auth tune PATH`.
export const authTuneCommand: Command = {
  name: 'auth tune',
  usage: 'secretrun auth tune [options] PATH',
  description: 'Tunes the configuration options for the auth method at the given PATH: its description, the lease TTLs of the tokens it issues, its token type.\n\n  $ secretrun auth tune -default-lease-ttl=72h userpass/',
  flags: tuneFlags,
  async run(argv, context) {
    const { flags: values, args, given } = parseCommandLine('auth tune', tuneFlags, argv, context, { min: 1, max: 1 });
    const methodPath = `${sanitizePath(args[0] ?? '')}/`;
    const body: JsonObject = {};
    if (given.has('default-lease-ttl')) body['default_lease_ttl'] = durationConfig(values['default-lease-ttl'], 'default-lease-ttl');
    if (given.has('max-lease-ttl')) body['max_lease_ttl'] = durationConfig(values['max-lease-ttl'], 'max-lease-ttl');
    if (given.has('description')) body['description'] = values.description;
    if (given.has('token-type')) body['token_type'] = values['token-type'];
    if (given.has('options')) body['options'] = values.options;
    const client = await context.client(clientFlagsOf(values));
    const path = `sys/mounts/auth/${methodPath.slice(0, -1)}/tune`;
    await requestExpecting(client, `Error tuning auth method ${methodPath}`, { method: 'POST', path }, writeSucceeded, { body });
    context.io.stdout.write(`Success! Tuned the auth method at: ${methodPath}\n`);
    return 0;
  },
};
