import { SecretrunError } from '../../errors.js';
import { kvApiPath } from '../../client/kv-mount.js';
import { isJsonObject } from '../../json.js';
import { isValidEnvName } from '../../runner/env-name.js';
import { renderEnv, type EnvFormat } from '../../runner/render-env.js';
import { apiError } from '../api-error.js';
import { clientFlags, mountFlag, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { resolveKvTarget } from '../kv-path.js';

const flags = [
  { name: 'format', kind: 'string', default: 'dotenv', example: 'dotenv|json|shell', usage: 'dotenv lines, a JSON object, or `export` lines for eval.' },
  { name: 'force', kind: 'bool', usage: 'Print the values even when standard output is a terminal.' },
  mountFlag,
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// `export PATH`: one secret's fields as a dotenv file, JSON or shell exports.
export const exportCommand: Command = {
  name: 'export',
  usage: 'secretrun export [options] PATH',
  description:
    'Prints the fields of the secret at PATH as dotenv lines (the default), a JSON object or `export` lines, to move secrets out of the store or into another tool. It prints secret values, so it refuses to write them to a terminal unless -force is given.\n\n' +
    '  $ secretrun export secret/myapp/config > .env\n  $ secretrun export -format=json secret/myapp/config | jq .',
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('export', flags, argv, context, { min: 1, max: 1 });
    const format = values.format;
    if (format !== 'dotenv' && format !== 'json' && format !== 'shell') throw new SecretrunError('usage', `invalid -format "${format}" for export: use dotenv, json or shell`);
    const { io } = context;
    if (io.stdout.isTTY && !values.force) {
      throw new SecretrunError('usage', 'refusing to print secret values to a terminal', { hint: 'Redirect the output to a file or a pipe, or add -force.' });
    }
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    const path = kvApiPath(target, 'data');
    const response = await client.request('GET', path);
    if (response.status === 404) throw new SecretrunError('not_found', `No value found at ${path}`);
    if (response.status !== 200) throw apiError(client, `Error reading ${path}`, { method: 'GET', path }, response);
    const body = response.json?.['data'];
    const data = target.version === 2 ? (isJsonObject(body) ? body['data'] : undefined) : body;
    if (!isJsonObject(data)) throw new SecretrunError('not_found', `No value found at ${path}`);
    const variables: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(data)) {
      if (format !== 'json' && !isValidEnvName(name)) {
        throw new SecretrunError('input', `field "${name}" of ${args[0] ?? ''} is not a valid variable name: use -format=json, or rename the field`);
      }
      variables[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    io.stdout.write(renderEnv(variables, format as EnvFormat));
    return 0;
  },
};
