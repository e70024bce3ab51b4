import { SecretrunError } from '../../errors.js';
import { renderGoDuration, secondsToNanos } from '../../go/duration.js';
import { parseDurationFlag } from '../duration-flag.js';
import type { JsonObject } from '../../json.js';
import { apiError, requestExpecting, writeSucceeded } from '../api-error.js';
import { clientFlags, mountFlag, outputFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { hintMissingKey, withHint } from '../path-hints.js';
import { renderFieldOutput } from '../format/field-output.js';
import { renderPathHeader } from '../format/headers.js';
import { isJsonObject } from '../../json.js';
import { requireV2, resolveKvTarget } from '../kv-path.js';
import { kvApiPath } from '../../client/kv-mount.js';
import { printWarnings, renderSecret, renderSection, secretOf } from '../secret-output.js';

const getFlags = [...outputFlags, mountFlag, ...clientFlags] as const;

// `kv metadata get`: a key's settings and the state of each of its versions.
export const kvMetadataGetCommand: Command = {
  name: 'kv metadata get',
  usage: 'secretrun kv metadata get [options] KEY',
  description: 'Retrieves the metadata from the key-value store at the given key name: its settings and every version kept.\n\n  $ secretrun kv metadata get secret/foo',
  flags: getFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('kv metadata get', getFlags, argv, context, { min: 1, max: 1 });
    const { io, global } = context;
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    requireV2(target, 'Metadata not supported on KV Version 1');
    const path = kvApiPath(target, 'metadata');
    const response = await client.request('GET', path);
    const secret = secretOf(response);
    if (response.status === 404 && secret === undefined) throw withHint(new SecretrunError('not_found', `No value found at ${path}`), await hintMissingKey(client, target));
    if (response.status !== 200 || secret === undefined) throw apiError(client, `Error reading ${path}`, { method: 'GET', path }, response);
    if (values.field !== '') {
      io.stdout.write(await renderFieldOutput(values.field, secret.data?.[values.field], global.format, io.stdout.isTTY));
      return 0;
    }
    if (global.format !== 'table') {
      io.stdout.write(await renderSecret(secret, global.format));
      return 0;
    }
    printWarnings(io, secret);
    const { versions, ...settings } = secret.data ?? {};
    let out = `${renderPathHeader(path, 'Metadata Path')}${renderSection('Metadata', settings)}`;
    if (isJsonObject(versions)) {
      const numbers = Object.keys(versions).map(Number).sort((a, b) => a - b);
      for (const number of numbers) {
        const version = versions[String(number)];
        if (isJsonObject(version)) out += `\n${renderSection(`Version ${number}`, version)}`;
      }
    }
    io.stdout.write(out);
    return 0;
  },
};

const settingFlags = [
  { name: 'max-versions', kind: 'int', default: -1, usage: 'The number of versions to keep; 0 uses the mount setting (10 by default).' },
  { name: 'cas-required', kind: 'bool', usage: 'Require check-and-set (-cas) on every write of this key.' },
  { name: 'delete-version-after', kind: 'string', usage: 'Delete each new version this long after it is written (a duration like 30m or 768h; 0s disables).' },
  { name: 'custom-metadata', kind: 'map', usage: 'A key=value pair of custom metadata; may be repeated.' },
  mountFlag,
  ...clientFlags,
] as const satisfies readonly FlagSpec[];

// The settings the user named, in the request body's shape.
function settingsBody(values: { 'max-versions': number; 'cas-required': boolean; 'delete-version-after': string }, given: ReadonlySet<string>): JsonObject {
  const body: JsonObject = {};
  if (given.has('max-versions')) {
    if (values['max-versions'] < 0) throw new SecretrunError('input', `invalid -max-versions ${values['max-versions']}: must be 0 or more`);
    body['max_versions'] = values['max-versions'];
  }
  if (given.has('cas-required')) body['cas_required'] = values['cas-required'];
  if (given.has('delete-version-after')) {
    body['delete_version_after'] = renderGoDuration(secondsToNanos(parseDurationFlag(values['delete-version-after'], 'delete-version-after')));
  }
  return body;
}

async function sendMetadata(
  argv: readonly string[],
  context: Parameters<Command['run']>[1],
  name: string,
  specs: readonly FlagSpec[],
  method: 'PUT' | 'PATCH',
): Promise<number> {
  const parsed = parseCommandLine(name, specs, argv, context, { min: 1, max: 1 });
  const values = parsed.flags as unknown as {
    'max-versions': number;
    'cas-required': boolean;
    'delete-version-after': string;
    'custom-metadata': Record<string, string>;
    'remove-custom-metadata'?: string[];
    mount: string;
    store: string;
    address: string;
    namespace: string;
  };
  const body = settingsBody(values, parsed.given);
  if (method === 'PUT') {
    if (parsed.given.has('custom-metadata')) body['custom_metadata'] = values['custom-metadata'];
  } else {
    const custom: JsonObject = { ...values['custom-metadata'] };
    for (const key of values['remove-custom-metadata'] ?? []) custom[key] = null;
    body['custom_metadata'] = custom;
  }
  const client = await context.client(clientFlagsOf(values));
  const target = await resolveKvTarget(client, parsed.args[0] ?? '', values.mount || undefined);
  requireV2(target, 'Metadata not supported on KV Version 1');
  const path = kvApiPath(target, 'metadata');
  const response = await client.request(method, path, {
    body,
    ...(method === 'PATCH' ? { contentType: 'application/merge-patch+json' } : {}),
  });
  // Against a server a missing key is the vault CLI's API error (Code: 404), as for any
  // failed write; in-process there is no request to show, so it says what is missing.
  if (response.status === 404 && method === 'PATCH' && client.mode === 'local' && secretOf(response) === undefined) {
    throw new SecretrunError('not_found', `No value found at ${path}`);
  }
  if (response.status !== 200 && response.status !== 204) throw apiError(client, `Error writing data to ${path}`, { method, path }, response);
  const secret = secretOf(response);
  if (secret?.warnings?.length) printWarnings(context.io, secret);
  else if (context.global.format === 'table') context.io.stdout.write(`Success! Data written to: ${path}\n`);
  return 0;
}

// `kv metadata put`: set a key's settings (creating the key without versions if needed).
export const kvMetadataPutCommand: Command = {
  name: 'kv metadata put',
  usage: 'secretrun kv metadata put [options] KEY',
  description:
    'Creates or updates the settings of a key: how many versions to keep, whether check-and-set is required, when versions are deleted, and custom metadata (which replaces the whole map).\n\n  $ secretrun kv metadata put -max-versions=5 -custom-metadata=owner=finance secret/foo',
  flags: settingFlags,
  run: (argv, context) => sendMetadata(argv, context, 'kv metadata put', settingFlags, 'PUT'),
};

const patchFlags = [
  ...settingFlags,
  { name: 'remove-custom-metadata', kind: 'list', usage: 'Remove this custom metadata key; may be repeated.' },
] as const satisfies readonly FlagSpec[];

// `kv metadata patch`: change only the named settings and custom metadata keys.
export const kvMetadataPatchCommand: Command = {
  name: 'kv metadata patch',
  usage: 'secretrun kv metadata patch [options] KEY',
  description:
    'Updates the settings of an existing key, leaving those not named as they are; custom metadata is merged key by key.\n\n  $ secretrun kv metadata patch -custom-metadata=team=payments -remove-custom-metadata=owner secret/foo',
  flags: patchFlags,
  run: (argv, context) => sendMetadata(argv, context, 'kv metadata patch', patchFlags, 'PATCH'),
};

const deleteFlags = [mountFlag, ...clientFlags] as const;

// `kv metadata delete`: remove a key with every version and its metadata.
export const kvMetadataDeleteCommand: Command = {
  name: 'kv metadata delete',
  usage: 'secretrun kv metadata delete [options] KEY',
  description: 'Deletes all versions and metadata for the provided key.\n\n  $ secretrun kv metadata delete secret/foo',
  flags: deleteFlags,
  async run(argv, context) {
    const { flags: values, args } = parseCommandLine('kv metadata delete', deleteFlags, argv, context, { min: 1, max: 1 });
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    requireV2(target, 'Metadata not supported on KV Version 1');
    const path = kvApiPath(target, 'metadata');
    await requestExpecting(client, `Error deleting ${path}`, { method: 'DELETE', path }, writeSucceeded);
    if (context.global.format === 'table') context.io.stdout.write(`Success! Data deleted (if it existed) at: ${path}\n`);
    return 0;
  },
};
