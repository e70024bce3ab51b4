import { SecretrunError } from '../../errors.js';
import { hintMissingKey, withHint } from '../path-hints.js';
import { apiError } from '../api-error.js';
import { clientFlags, mountFlag, outputFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { renderKeyList } from '../format/list-output.js';
import { resolveKvTarget } from '../kv-path.js';
import { kvApiPath } from '../../client/kv-mount.js';
import { renderValue, secretOf } from '../secret-output.js';

const flags = [...outputFlags.filter((flag) => flag.name === 'format'), mountFlag, ...clientFlags] as const;

// `kv list`: the keys and folders directly under a path.
export const kvListCommand: Command = {
  name: 'kv list',
  usage: 'secretrun kv list [options] PATH',
  description: 'Lists data from the key-value store at the given path: keys, and folders with a trailing slash.\n\n  $ secretrun kv list secret/api-keys',
  flags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('kv list', flags, argv, context, { min: values0(argv), max: 1 });
    const { io, global } = context;
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    // vault names the path without the trailing slash its LIST request adds.
    const path = kvApiPath(target, 'metadata').replace(/\/+$/, '');
    const listPath = `${path}/`;
    const response = await client.request('GET', listPath, { query: { list: 'true' } });
    if (response.status !== 200 && response.status !== 404) throw apiError(client, `Error listing ${path}`, { method: 'GET', path: listPath }, response);
    const keys = secretOf(response)?.data?.['keys'];
    const found = Array.isArray(keys) && keys.length > 0 ? keys : undefined;
    if (global.format !== 'table') {
      const value = found ?? {};
      io.stdout.write(await renderValue(value, global.format));
      return found === undefined ? 2 : 0;
    }
    if (found === undefined) throw withHint(new SecretrunError('not_found', `No value found at ${path}`), await hintMissingKey(client, target, { listing: true }));
    io.stdout.write(`${renderKeyList(found)}\n`);
    return 0;
  },
};

// With -mount the path may be omitted (the mount root is listed), as in newer vault CLIs.
function values0(argv: readonly string[]): number {
  return argv.some((arg) => /^--?mount(=|$)/.test(arg)) ? 0 : 1;
}
