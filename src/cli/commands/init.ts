import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SecretrunError } from '../../errors.js';
import { initStore } from '../../store/init-store.js';
import { discoverProject, projectDirName } from '../../store/project-discovery.js';
import { resolveStorePath } from '../../store/store-paths.js';
import { type Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';
import { renderStoreCreated } from '../local-client.js';
import { readNewPassphrase } from '../passphrase-prompt.js';

const flags = [
  { name: 'store', kind: 'string', usage: 'Path of the store to create. Defaults to $SECRETRUN_STORE, else .secretrun/store.json in this directory.' },
  {
    name: 'force',
    kind: 'bool',
    aliases: ['f'],
    usage: 'Start a project of its own in this directory even though it is inside another project (a directory above holds secretrun.yaml or .secretrun/).',
  },
  {
    name: 'passphrase',
    kind: 'bool',
    usage: 'Derive the root key from a passphrase (scrypt) instead of a random key file: $SECRETRUN_PASSPHRASE, or asked for on the terminal.',
  },
] as const satisfies readonly FlagSpec[];

// A new store in a subdirectory of a project would silently split it: commands run here would
// use the new store and key, and everything above the old ones. Which one the user meant is
// theirs to say (run init up there, or -force a nested project), so init refuses.
function checkNoProjectAbove(cwd: string, env: Readonly<Record<string, string | undefined>>): void {
  const { project } = discoverProject(cwd, env);
  if (project === undefined || project.dir === resolve(cwd)) return;
  const store = join(project.dir, projectDirName, 'store.json');
  const holds = existsSync(store) ? `its store is ${store}` : `its store will be ${store}`;
  throw new SecretrunError('usage', `not creating a store in ${resolve(cwd)}: it is inside the secretrun project at ${project.dir} (${holds}), which commands run here use`, {
    hint: `Run "secretrun init" in ${project.dir} to create that project's store, or pass -force to start a separate project here.`,
  });
}

// `init`: create the encrypted store and its root key.
export const initCommand: Command = {
  name: 'init',
  usage: 'secretrun init [options]',
  description:
    'Creates an empty encrypted store with the secret/ KV v2 mount, and its root key, in .secretrun/ of this directory. Inside a project (a directory above holds secretrun.yaml or .secretrun/, and commands run here use its store) it refuses unless -force says to start a separate project here. The key goes to $SECRETRUN_KEY when set, else to a new key file under $XDG_CONFIG_HOME/secretrun/keys (never inside the project); with -passphrase it is derived from a passphrase.\n\n  $ secretrun init\n  $ SECRETRUN_PASSPHRASE=... secretrun init -passphrase',
  flags,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('init', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const path = resolveStorePath(io.cwd, io.env, values.store || undefined);
    if (!values.force && values.store === '' && !io.env['SECRETRUN_STORE']) checkNoProjectAbove(io.cwd, io.env);
    const passphrase = values.passphrase ? await readNewPassphrase(io) : undefined;
    const creation = await initStore({ path, env: io.env, ...(passphrase === undefined ? {} : { passphrase }) });
    io.stderr.write(renderStoreCreated(creation));
    io.stdout.write(`Success! Created the store at: ${creation.path}\n`);
    return 0;
  },
};
