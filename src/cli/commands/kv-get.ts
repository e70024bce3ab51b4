import { SecretrunError } from '../../errors.js';
import { apiError } from '../api-error.js';
import { clientFlags, mountFlag, outputFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { renderFieldOutput } from '../format/field-output.js';
import { renderPathHeader } from '../format/headers.js';
import { isJsonObject } from '../../json.js';
import { resolveKvTarget } from '../kv-path.js';
import { kvApiPath } from '../../client/kv-mount.js';
import { hintFields, hintMissingKey, withHint } from '../path-hints.js';
import { printWarnings, renderSecret, renderSection, secretOf } from '../secret-output.js';

const flags = [
  ...outputFlags,
  mountFlag,
  { name: 'version', kind: 'int', usage: 'The version to read; the latest when absent or 0.' },
  ...clientFlags,
] as const;

// `kv get`: read one version of a secret and print it as Vault does.
export const kvGetCommand: Command = {
  name: 'kv get',
  usage: 'secretrun kv get [options] KEY',
  description:
    'Retrieves the value from the key-value store at the given key name. If no key exists with that name, an error is returned. If a key exists with that name but has no data, nothing is returned.\n\n' +
    '  $ secretrun kv get -mount=secret foo\n  $ secretrun kv get -field=api_key secret/api-keys/openai',
  flags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('kv get', flags, argv, context, { min: 1, max: 1 });
    const { io, global } = context;
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    const path = kvApiPath(target, 'data');
    const query: Record<string, string> = values.version > 0 ? { version: String(values.version) } : {};
    const response = await client.request('GET', path, { query });
    const secret = secretOf(response);
    if (response.status !== 200 && !(response.status === 404 && secret !== undefined)) {
      if (response.status === 404) throw withHint(new SecretrunError('not_found', `No value found at ${path}`), await hintMissingKey(client, target, { version: values.version }));
      throw apiError(client, `Error reading ${path}`, { method: 'GET', path, query }, response);
    }
    if (secret === undefined) throw withHint(new SecretrunError('not_found', `No value found at ${path}`), await hintMissingKey(client, target, { version: values.version }));

    if (values.field !== '') {
      const payload = target.version === 2 ? secret.data?.['data'] : secret.data;
      if (target.version === 2 && !isJsonObject(payload)) throw new SecretrunError('not_found', `No data found at ${path}`);
      const map = payload as Record<string, unknown>;
      const value = values.field === 'data' && target.version === 2 && !('data' in map) ? map : map[values.field];
      if (value === undefined || value === null) {
        throw withHint(new SecretrunError('usage', `Field "${values.field}" not present in secret`), hintFields(Object.keys(map), values.field));
      }
      io.stdout.write(await renderFieldOutput(values.field, value, global.format, io.stdout.isTTY));
      return 0;
    }
    if (global.format !== 'table') {
      io.stdout.write(await renderSecret(secret, global.format));
      return 0;
    }
    printWarnings(io, secret);
    let out = '';
    let data: Record<string, unknown> | undefined = secret.data ?? undefined;
    if (target.version === 2) {
      out += renderPathHeader(path, 'Secret Path');
      const metadata = secret.data?.['metadata'];
      if (isJsonObject(metadata)) out += `${renderSection('Metadata', metadata)}\n`;
      const inner = secret.data?.['data'];
      data = isJsonObject(inner) ? inner : undefined;
    }
    if (data !== undefined) out += renderSection('Data', data);
    io.stdout.write(out);
    return 0;
  },
};
