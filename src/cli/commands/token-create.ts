import type { JsonObject } from '../../json.js';
import { apiError } from '../api-error.js';
import { clientFlags, outputFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { FlagSpec } from '../flags.js';
import { parseApiSecret, printApiSecret } from '../token-output.js';

const createFlags = [
  { name: 'id', kind: 'string', usage: 'Value for the token. By default, this is an auto-generated string. Specifying this value requires sudo permissions.' },
  { name: 'display-name', kind: 'string', usage: 'Name to associate with this token. This is a non-sensitive value that can be used to help identify created secrets (e.g. prefixes).' },
  { name: 'ttl', kind: 'string', example: 'duration', usage: 'Initial TTL to associate with the token. Token renewals may be able to extend beyond this value, depending on the configured maximum TTLs. This is specified as a numeric string with suffix like "30s" or "5m".' },
  { name: 'explicit-max-ttl', kind: 'string', example: 'duration', usage: 'Explicit maximum lifetime for the token. Unlike normal TTLs, the maximum TTL is a hard limit and cannot be exceeded. This is specified as a numeric string with suffix like "30s" or "5m".' },
  { name: 'period', kind: 'string', example: 'duration', usage: 'If specified, every renewal will use the given period. Periodic tokens do not expire (unless -explicit-max-ttl is also provided). Setting this value requires sudo permissions. This is specified as a numeric string with suffix like "30s" or "5m".' },
  { name: 'renewable', kind: 'bool', default: true, usage: "Allow the token to be renewed up to it's maximum TTL." },
  { name: 'orphan', kind: 'bool', usage: 'Create the token with no parent. This prevents the token from being revoked when the token which created it expires. Setting this value requires root or sudo permissions.' },
  { name: 'no-default-policy', kind: 'bool', usage: 'Detach the "default" policy from the policy set for this token.' },
  { name: 'use-limit', kind: 'int', usage: 'Number of times this token can be used. After the last use, the token is automatically revoked. By default, tokens can be used an unlimited number of times until their expiration.' },
  { name: 'role', kind: 'string', usage: 'Name of the role to create the token against. Specifying -role may override other arguments. The locally authenticated token must have permission for "auth/token/create/<role>".' },
  { name: 'type', kind: 'string', default: 'service', usage: 'The type of token to create. Can be "service" or "batch".' },
  { name: 'metadata', kind: 'map', usage: 'Arbitrary key=value metadata to associate with the token. This metadata will show in the audit log when the token is used. This can be specified multiple times to add multiple pieces of metadata.' },
  { name: 'policy', kind: 'list', usage: 'Name of a policy to associate with this token. This can be specified multiple times to attach multiple policies.' },
  { name: 'entity-alias', kind: 'string', usage: 'Name of the entity alias to associate with during token creation. Only works in combination with -role argument and used entity alias must be listed in allowed_entity_aliases.' },
  ...outputFlags,
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// A Go duration flag as the vault CLI sends it (time.Duration.String), here in seconds.
function durationBody(text: string, flag: string): string {
  return text === '' ? '0s' : `${parseDurationFlag(text, flag)}s`;
}

// `token create`: a new token, child of the caller's (or, on the local store, an orphan).
export const tokenCreateCommand: Command = {
  name: 'token create',
  usage: 'secretrun token create [options]',
  description:
    'Creates a new token that can be used for authentication. This token will be created as a child of the currently authenticated token. The generated token will inherit all policies and permissions of the currently authenticated token unless you explicitly define a subset list policies to assign to the token. On the local store, whose key is root, the token is an orphan.\n\nA ttl can also be associated with the token. If a ttl is associated with the token, it will expire after that amount of time unless it is renewed.\n\n  $ secretrun token create -policy=myapp-policy -ttl=1h\n  $ secretrun token create -use-limit=2 -field=token',
  flags: createFlags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('token create', createFlags, argv, context, { min: 0, max: 0 });
    const renewable = values.type === 'batch' ? false : values.renewable;
    const body: JsonObject = {
      ...(values.id === '' ? {} : { id: values.id }),
      ...(values.policy.length === 0 ? {} : { policies: values.policy }),
      ...(Object.keys(values.metadata).length === 0 ? {} : { meta: values.metadata }),
      ttl: durationBody(values.ttl, 'ttl'),
      explicit_max_ttl: durationBody(values['explicit-max-ttl'], 'explicit-max-ttl'),
      period: durationBody(values.period, 'period'),
      ...(values.orphan ? { no_parent: true } : {}),
      ...(values['no-default-policy'] ? { no_default_policy: true } : {}),
      display_name: values['display-name'],
      num_uses: values['use-limit'],
      renewable,
      type: values.type,
      entity_alias: values['entity-alias'],
    };
    const path = values.role === '' ? 'auth/token/create' : `auth/token/create/${values.role}`;
    const client = await context.client(clientFlagsOf(values));
    const response = await client.request('POST', path, { body });
    const secret = response.status === 200 ? parseApiSecret(response) : undefined;
    if (secret === undefined) throw apiError(client, 'Error creating token', { method: 'POST', path }, response);
    return printApiSecret(context, secret, values.field);
  },
};
