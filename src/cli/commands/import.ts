import { SecretrunError, isSecretrunError } from '../../errors.js';
import { kvApiPath, type KvTarget } from '../../client/kv-mount.js';
import type { JsonObject } from '../../json.js';
import { requestExpecting, writeSucceeded } from '../api-error.js';
import type { ApiClient } from '../api-client.js';
import { clientFlags, mountFlag, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { readFileData, readStdinData } from '../kv-data-args.js';
import { resolveKvTarget, sanitizePath } from '../kv-path.js';

const flags = [
  mountFlag,
  { name: 'split', kind: 'bool', usage: 'Write one secret per variable (PATH/NAME, its value in the field "value") instead of one secret holding every variable as a field.' },
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// Writes `data` as a new version at `target` (KV v2) or replaces it (KV v1).
async function writeSecret(client: ApiClient, target: KvTarget, data: JsonObject): Promise<void> {
  const path = kvApiPath(target, 'data');
  await requestExpecting(client, `Error writing data to ${path}`, { method: 'PUT', path }, writeSucceeded, { body: target.version === 2 ? { data } : data });
}

// `import FILE PATH`: a dotenv file into the store, parsed by dotenv as the runner reads one.
export const importCommand: Command = {
  name: 'import',
  usage: 'secretrun import [options] FILE PATH',
  description:
    'Reads a dotenv file (or - for standard input), parsed as dotenv parses it, and writes its variables to the store: as the fields of one secret at PATH, or with -split one secret per variable at PATH/NAME. Values are never printed; the variables\' names are.\n\n' +
    '  $ secretrun import .env secret/myapp/config\n  $ secretrun import -split .env secret/myapp',
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('import', flags, argv, context, { min: 2, max: 2 });
    const [file = '', path = ''] = args;
    const { io } = context;
    const text = file === '-' ? await readStdinData(io) : readDotenvFile(file, io.cwd);
    const { parse } = await import('../../runner/dotenv-parse.js');
    const variables = parse(text);
    const names = Object.keys(variables).sort();
    if (names.length === 0) throw new SecretrunError('input', `no variables in ${file === '-' ? 'standard input' : file}: nothing to import (expected NAME=value lines)`);
    const client = await context.client(clientFlagsOf(values));
    const mount = values.mount || undefined;
    if (values.split) {
      for (const name of names) {
        await writeSecret(client, await resolveKvTarget(client, `${sanitizePath(path)}/${name}`, mount), { value: variables[name] ?? '' });
      }
    } else {
      const data: JsonObject = Object.create(null) as JsonObject;
      for (const name of names) data[name] = variables[name] ?? '';
      await writeSecret(client, await resolveKvTarget(client, path, mount), data);
    }
    const where = values.split ? `${names.length} secrets under ${sanitizePath(path)}/` : `the fields of ${sanitizePath(path)}`;
    io.stdout.write(`Success! Imported ${names.length} variable${names.length === 1 ? '' : 's'} as ${where}: ${names.join(', ')}\n`);
    return 0;
  },
};

// The text of a dotenv file (at most what one request may carry), or an input error naming it.
function readDotenvFile(file: string, cwd: string): string {
  try {
    return readFileData(file, cwd);
  } catch (error) {
    if (isSecretrunError(error)) throw error;
    throw new SecretrunError('input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'} (give a dotenv file, or - for standard input)`);
  }
}
