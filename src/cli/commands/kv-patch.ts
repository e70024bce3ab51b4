import { SecretrunError } from '../../errors.js';
import type { JsonObject, JsonValue } from '../../json.js';
import type { ApiClient } from '../api-client.js';
import { apiError, requestExpecting } from '../api-error.js';
import { clientFlags, mountFlag, outputFlags, type Command, type CommandContext } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { isJsonObject } from '../../json.js';
import { readKvData } from '../kv-data-args.js';
import { resolveKvTarget } from '../kv-path.js';
import { kvApiPath } from '../../client/kv-mount.js';
import { printWriteResult } from '../kv-write-output.js';
import { secretOf } from '../secret-output.js';

const flags = [
  ...outputFlags,
  mountFlag,
  { name: 'cas', kind: 'int', usage: 'Patch only if the current version matches this number. Ignored unless greater than 0.' },
  {
    name: 'method',
    kind: 'string',
    usage: 'How to patch: "patch" sends an HTTP PATCH; "rw" reads the secret and writes it back with check-and-set. By default PATCH is tried and rw used when the server refuses it.',
  },
  { name: 'remove-data', kind: 'list', usage: 'Remove this key from the secret; may be repeated.' },
  ...clientFlags,
] as const;

// The fallback of older servers and of tokens without the `patch` capability: read the
// current version, merge at the top level, write it back guarded by check-and-set.
async function readThenWrite(client: ApiClient, context: CommandContext, path: string, patch: Record<string, JsonValue>, field: string): Promise<number> {
  const current = await client.request('GET', path);
  const secret = secretOf(current);
  if (current.status === 404 && secret === undefined) throw new SecretrunError('not_found', `No value found at ${path}`);
  if (current.status !== 200 && current.status !== 404) throw apiError(client, `Error doing pre-read at ${path}`, { method: 'GET', path }, current);
  const data = secret?.data?.['data'];
  const metadata = secret?.data?.['metadata'];
  if (!isJsonObject(data) || !isJsonObject(metadata)) throw new SecretrunError('not_found', `No value found at ${path}`);
  const merged: JsonObject = { ...(data as JsonObject) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const body = { data: merged, options: { cas: Number(metadata['version'] ?? 0) } };
  const response = await requestExpecting(client, `Error writing data to ${path}`, { method: 'PUT', path }, [200], { body });
  return printWriteResult(context, path, secretOf(response), field);
}

// `kv patch`: change some fields of the latest version, keeping the others.
export const kvPatchCommand: Command = {
  name: 'kv patch',
  usage: 'secretrun kv patch [options] KEY [DATA]',
  description:
    'Writes the data to the given path in the key-value store, merging it into the latest version: fields not named keep their values.\n\n' +
    '  $ secretrun kv patch secret/api-keys/stripe api_key=sk_live_new\n' +
    '  $ secretrun kv patch -remove-data=legacy_token secret/myapp/config',
  flags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('kv patch', flags, argv, context, { min: 1, max: Infinity });
    if (!['', 'patch', 'rw'].includes(values.method)) {
      throw new SecretrunError('usage', `Unsupported method provided to -method flag: ${values.method}`, { hint: 'Use -method=patch or -method=rw.' });
    }
    if (args.length === 1 && values['remove-data'].length === 0) throw new SecretrunError('usage', 'Must supply data');
    const patch = await readKvData(args.slice(1), context.io);
    for (const key of values['remove-data']) patch[key] = null;
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    if (target.version !== 2) throw new SecretrunError('not_found', 'K/V engine mount must be version 2 for patch support');
    const path = kvApiPath(target, 'data');
    if (values.method === 'rw') return readThenWrite(client, context, path, patch, values.field);

    const options: JsonObject = values.cas > 0 ? { cas: values.cas } : {};
    const response = await client.request('PATCH', path, { body: { data: patch, options }, contentType: 'application/merge-patch+json' });
    if (values.method === '' && response.status === 405) return readThenWrite(client, context, path, patch, values.field);
    if (values.method === '' && response.status === 403) {
      context.io.stderr.write(
        `Data was written to ${path} but we recommend that you add the "patch" capability to your ACL policy in order to use HTTP PATCH in favor of a read-then-write approach.\n`,
      );
      return readThenWrite(client, context, path, patch, values.field);
    }
    // Against a server this is the vault CLI's API error (Code: 404), as for any failed write;
    // in-process there is no request to show, so it says what is missing.
    if (response.status === 404 && client.mode === 'local') {
      if (secretOf(response) === undefined) throw new SecretrunError('not_found', `No value found at ${path}`);
      throw new SecretrunError('not_found', `Error writing data to ${path}: its latest version is deleted or destroyed (undelete it, or write a new version with "kv put")`);
    }
    if (response.status !== 200) throw apiError(client, `Error writing data to ${path}`, { method: 'PATCH', path }, response);
    return printWriteResult(context, path, secretOf(response), values.field);
  },
};
