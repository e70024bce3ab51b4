import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { apiError } from '../api-error.js';
import { clientFlags, mountFlag, outputFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { readKvData } from '../kv-data-args.js';
import { resolveKvTarget } from '../kv-path.js';
import { kvApiPath } from '../../client/kv-mount.js';
import { printWriteResult } from '../kv-write-output.js';
import { secretOf } from '../secret-output.js';

const flags = [
  ...outputFlags,
  mountFlag,
  {
    name: 'cas',
    kind: 'int',
    default: -1,
    usage: 'Write only if the current version matches this number (0: only if the key does not exist yet). Ignored when negative.',
  },
  ...clientFlags,
] as const;

// `kv put`: write a new version of a secret from key=value pairs.
export const kvPutCommand: Command = {
  name: 'kv put',
  usage: 'secretrun kv put [options] KEY [DATA]',
  description:
    'Writes the data to the given path in the key-value store. The data can be of any type.\n\n' +
    '  $ secretrun kv put secret/foo bar=baz\n' +
    '  $ secretrun kv put secret/foo @data.json\n' +
    '  $ echo "abcd1234" | secretrun kv put secret/foo bar=-',
  flags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('kv put', flags, argv, context, { min: 1, max: Infinity });
    if (args.length === 1) throw new SecretrunError('usage', 'Must supply data');
    const data = await readKvData(args.slice(1), context.io);
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    const path = kvApiPath(target, 'data');
    const options: JsonObject = values.cas >= 0 ? { cas: values.cas } : {};
    const body = target.version === 2 ? { data, options } : data;
    const response = await client.request('PUT', path, { body });
    if (response.status !== 200 && response.status !== 204) {
      throw apiError(client, `Error writing data to ${path}`, { method: 'PUT', path }, response);
    }
    return printWriteResult(context, path, secretOf(response), values.field);
  },
};
