import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { apiError } from '../api-error.js';
import { clientFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { FlagSpec } from '../flags.js';
import { parseApiSecret, printApiSecret } from '../token-output.js';

// `lease lookup|renew|revoke`: the vault CLI's lease commands over sys/leases/, with their
// arguments, outputs and messages.

const formatFlag = { name: 'format', kind: 'string', default: 'table', usage: 'Print the output in the given format: "table", "json" or "yaml" ($VAULT_FORMAT).' } as const satisfies FlagSpec;

function oneArgument(args: readonly string[]): string {
  if (args.length < 1) throw new SecretrunError('usage', `Not enough arguments (expected 1, got ${args.length})`);
  if (args.length > 1) throw new SecretrunError('usage', `Too many arguments (expected 1, got ${args.length})`);
  return (args[0] ?? '').trim();
}

const lookupFlags = [formatFlag, ...clientFlags] as const satisfies readonly FlagSpec[];

// `lease lookup ID`.
export const leaseLookupCommand: Command = {
  name: 'lease lookup',
  usage: 'secretrun lease lookup [options] ID',
  description: 'Lookup the lease information based on the lease id.\n\n  $ secretrun lease lookup database/creds/readonly/2f6a614c4aa2',
  flags: lookupFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('lease lookup', lookupFlags, argv, context, { min: 0, max: Infinity });
    const id = oneArgument(args);
    const client = await context.client(clientFlagsOf(values));
    const request = { method: 'PUT', path: 'sys/leases/lookup', body: { lease_id: id } as JsonObject };
    const response = await client.request(request.method, request.path, { body: request.body });
    const secret = response.status === 200 ? parseApiSecret(response) : undefined;
    if (secret === undefined) throw apiError(client, `error looking up lease id ${id}`, request, response);
    return printApiSecret(context, secret, '');
  },
};

const renewFlags = [
  {
    name: 'increment',
    kind: 'string',
    aliases: ['i'],
    example: 'duration',
    usage: 'Request a specific increment in seconds. Vault is not required to honor this request.',
  },
  formatFlag,
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `lease renew [-increment=DURATION] ID`.
export const leaseRenewCommand: Command = {
  name: 'lease renew',
  usage: 'secretrun lease renew [options] ID',
  description:
    'Renews the lease on a secret, extending the time that it can be used before it is revoked. The lease cannot be renewed past its max TTL.\n\n  $ secretrun lease renew database/creds/readonly/2f6a614c4aa2\n  $ secretrun lease renew -increment=5m database/creds/readonly/2f6a614c4aa2',
  flags: renewFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('lease renew', renewFlags, argv, context, { min: 0, max: Infinity });
    const id = oneArgument(args);
    const increment = values.increment === '' ? 0 : Math.max(0, Math.trunc(parseDurationFlag(values.increment, 'increment')));
    const client = await context.client(clientFlagsOf(values));
    const request = { method: 'PUT', path: 'sys/leases/renew', body: { lease_id: id, increment } as JsonObject };
    const response = await client.request(request.method, request.path, { body: request.body });
    const secret = response.status === 200 ? parseApiSecret(response) : undefined;
    if (secret === undefined) throw apiError(client, `Error renewing ${id}`, request, response);
    return printApiSecret(context, secret, '');
  },
};

const revokeFlags = [
  {
    name: 'force',
    kind: 'bool',
    aliases: ['f'],
    usage: 'Delete the lease even if the secret engine revocation fails. This is meant for recovery situations where the secret in the target secret engine was manually removed. If this flag is specified, -prefix is also required.',
  },
  { name: 'prefix', kind: 'bool', usage: 'Treat the ID as a prefix instead of an exact lease ID. This can revoke multiple leases simultaneously.' },
  { name: 'sync', kind: 'bool', usage: 'Force a synchronous operation; on failure it is up to the client to retry.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `lease revoke [-prefix] [-force] [-sync] ID`. secretrun revokes at once either way; a
// revocation that fails is kept and retried with backoff, and the error is shown.
export const leaseRevokeCommand: Command = {
  name: 'lease revoke',
  usage: 'secretrun lease revoke [options] ID',
  description:
    'Revokes secrets by their lease ID. This command can revoke a single secret or multiple secrets based on a path-matched prefix. A revocation that fails is kept and retried with backoff.\n\n  $ secretrun lease revoke database/creds/readonly/2f6a614c4aa2\n  $ secretrun lease revoke -prefix database/creds/readonly\n  $ secretrun lease revoke -force -prefix database/creds',
  flags: revokeFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('lease revoke', revokeFlags, argv, context, { min: 0, max: Infinity });
    const id = oneArgument(args);
    if (values.force && !values.prefix) throw new SecretrunError('usage', 'Specifying -force requires also specifying -prefix');
    const client = await context.client(clientFlagsOf(values));
    if (values.force) context.io.stderr.write('WARNING! Force-removing leases can cause Vault to become out of sync with secret engines!\n');
    const request = values.force
      ? { method: 'PUT', path: `sys/leases/revoke-force/${id}`, body: {} as JsonObject }
      : values.prefix
        ? { method: 'PUT', path: `sys/leases/revoke-prefix/${id}`, body: { sync: values.sync } as JsonObject }
        : { method: 'PUT', path: 'sys/leases/revoke', body: { lease_id: id, sync: values.sync } as JsonObject };
    const response = await client.request(request.method, request.path, { body: request.body });
    if (response.status !== 200 && response.status !== 204) {
      const action = values.force ? `Error force revoking leases with prefix ${id}` : values.prefix ? `Error revoking leases with prefix ${id}` : `Error revoking lease ${id}`;
      throw apiError(client, action, request, response);
    }
    const { stdout } = context.io;
    if (values.force) stdout.write(`Success! Force revoked any leases with prefix: ${id}\n`);
    else if (!values.sync) stdout.write('All revocation operations queued successfully!\n');
    else if (values.prefix) stdout.write(`Success! Revoked any leases with prefix: ${id}\n`);
    else stdout.write(`Success! Revoked lease: ${id}\n`);
    return 0;
  },
};
