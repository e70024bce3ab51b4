import { SecretrunError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { readAnswered, requestExpecting } from '../api-error.js';
import { clientFlags, mountFlag, outputFlags, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { isJsonObject } from '../../json.js';
import { requireV2, resolveKvTarget } from '../kv-path.js';
import { kvApiPath } from '../../client/kv-mount.js';
import { printWriteResult } from '../kv-write-output.js';
import { secretOf } from '../secret-output.js';

const flags = [...outputFlags, mountFlag, { name: 'version', kind: 'int', usage: 'The version to roll back to (required).' }, ...clientFlags] as const;

// `kv rollback`: write an older version's data again as the newest version.
export const kvRollbackCommand: Command = {
  name: 'kv rollback',
  usage: 'secretrun kv rollback [options] KEY',
  description:
    'Restores a given previous version to the current version at the given path. The value is written as a new version; it is not an undelete.\n\n  $ secretrun kv rollback -version=2 secret/foo',
  flags,
  async run(argv, context) {
    const parsed = parseCommandLine('kv rollback', flags, argv, context, { min: 1, max: 1 });
    const { flags: values, args } = parsed;
    if (!parsed.given.has('version')) throw new SecretrunError('usage', 'Version flag must be specified');
    if (values.version <= 0) throw new SecretrunError('usage', 'Invalid version provided');
    const client = await context.client(clientFlagsOf(values));
    const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
    requireV2(target, 'Rollback not supported on KV Version 1');
    const path = kvApiPath(target, 'data');

    const current = await requestExpecting(client, `Error reading ${path}`, { method: 'GET', path }, readAnswered);
    const currentMeta = secretOf(current)?.data?.['metadata'];
    if (!isJsonObject(currentMeta)) throw new SecretrunError('not_found', `No value found at ${path}`);
    const currentVersion = Number(currentMeta['version'] ?? 0);

    const query = { version: String(values.version) };
    const wanted = await client.request('GET', path, { query });
    const secret = secretOf(wanted);
    const meta = secret?.data?.['metadata'];
    if (!isJsonObject(meta)) throw new SecretrunError('not_found', `No value found at ${path}`);
    if (meta['destroyed'] === true) throw new SecretrunError('invalid_request', 'Cannot roll back to a version that has been destroyed');
    if (typeof meta['deletion_time'] === 'string' && meta['deletion_time'] !== '' && Date.parse(meta['deletion_time']) <= Date.now()) {
      throw new SecretrunError('invalid_request', 'Cannot roll back to a version that has been deleted');
    }
    const data = secret?.data?.['data'];
    if (!isJsonObject(data)) throw new SecretrunError('not_found', `No data found at ${path}`);

    const response = await requestExpecting(client, `Error writing data to ${path}`, { method: 'PUT', path }, [200], { body: { data: data as JsonObject, options: { cas: currentVersion } } });
    return printWriteResult(context, path, secretOf(response), values.field);
  },
};
