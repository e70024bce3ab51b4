import { SecretrunError } from '../../errors.js';
import { apiError } from '../api-error.js';
import { clientFlags, mountFlag, type Command } from '../command.js';
import { clientFlagsOf, parseCommandLine } from '../command-args.js';
import { resolveKvTarget } from '../kv-path.js';
import { kvApiPath } from '../../client/kv-mount.js';

const flags = [
  { name: 'versions', kind: 'list', usage: 'The versions to act on, comma-separated or repeated (-versions=1,2 or -versions=1 -versions=2).' },
  mountFlag,
  ...clientFlags,
] as const;

type Action = 'delete' | 'undelete' | 'destroy';

const descriptions: Record<Action, string> = {
  delete:
    'Deletes the data for the provided version and path in the key-value store. The versioned data will not be fully removed, but marked as deleted and will no longer be returned in normal get requests. Without -versions the latest version is deleted.\n\n  $ secretrun kv delete secret/foo\n  $ secretrun kv delete -versions=1,2 secret/foo',
  undelete: 'Undeletes the data for the provided versions and path in the key-value store, restoring it for normal get requests.\n\n  $ secretrun kv undelete -versions=3 secret/foo',
  destroy: 'Permanently removes the specified versions\' data from the key-value store. Their metadata remains.\n\n  $ secretrun kv destroy -versions=1,2 secret/foo',
};

// The version numbers of -versions: comma lists and repeats, each a whole number.
function parseVersionList(raw: readonly string[]): string[] {
  const versions = raw.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
  for (const version of versions) {
    if (!/^\d+$/.test(version)) throw new SecretrunError('input', `invalid version "${version}" in -versions: use whole numbers such as -versions=1,2`);
  }
  return versions;
}

function makeCommand(action: Action): Command {
  const name = `kv ${action}`;
  return {
    name,
    usage: `secretrun ${name} [options] KEY`,
    description: descriptions[action],
    flags,
    async run(argv, context) {
      const { flags: values, args } = parseCommandLine(name, flags, argv, context, { min: 1, max: 1 });
      const versions = parseVersionList(values.versions);
      if (action !== 'delete' && versions.length === 0) {
        throw new SecretrunError('usage', `No versions provided, use the "-versions" flag to specify the version to ${action}.`);
      }
      const client = await context.client(clientFlagsOf(values));
      const target = await resolveKvTarget(client, args[0] ?? '', values.mount || undefined);
      if (target.version !== 2 && action !== 'delete') {
        throw new SecretrunError('usage', `${action === 'undelete' ? 'Undelete' : 'Destroy'} not supported on KV Version 1`);
      }
      if (target.version !== 2 && versions.length > 0) throw new SecretrunError('usage', 'Deleting specific versions is not supported on KV Version 1');
      const dataPath = kvApiPath(target, 'data');
      const useVersions = action !== 'delete' || versions.length > 0;
      const path = useVersions ? kvApiPath(target, action) : dataPath;
      const response = useVersions
        ? await client.request('PUT', path, { body: { versions } })
        : await client.request('DELETE', path);
      if (response.status !== 200 && response.status !== 204) {
        const verb = action === 'delete' ? 'deleting' : action === 'undelete' ? 'undeleting' : 'destroying';
        throw apiError(client, `Error ${verb} ${path}`, { method: useVersions ? 'PUT' : 'DELETE', path }, response);
      }
      if (context.global.format === 'table') {
        context.io.stdout.write(
          action === 'delete' ? `Success! Data deleted (if it existed) at: ${dataPath}\n` : `Success! Data written to: ${path}\n`,
        );
      }
      return 0;
    },
  };
}

export const kvDeleteCommand = makeCommand('delete');
export const kvUndeleteCommand = makeCommand('undelete');
export const kvDestroyCommand = makeCommand('destroy');
