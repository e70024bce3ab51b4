import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { SecretrunError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { makePrivateDir } from '../../fs/private-file.js';
import { resolveProjectStorePath } from '../../store/project-discovery.js';
import { addStoreAttributes, driverName, renderStoreAttributes } from '../../team/git-attributes.js';
import { renderDriverConfig } from '../../team/git-config.js';
import { readGitAttributes, readRepoRoot, writeGitConfig } from '../../team/git-process.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import type { FlagSpec } from '../flags.js';

const flags = [
  { name: 'store', kind: 'string', usage: 'Path of the store. Defaults to $SECRETRUN_STORE, else the project\'s .secretrun/store.json (in this directory or the nearest parent holding secretrun.yaml or .secretrun/, up to the repository\'s root), else ./.secretrun/store.json.' },
  { name: 'global', kind: 'bool', usage: 'Define the drivers in your global git config (~/.gitconfig) instead of this repository\'s .git/config.' },
  {
    name: 'command',
    kind: 'string',
    default: 'secretrun',
    usage: 'How git runs secretrun, as a shell fragment: e.g. "npx secretrun", or the absolute path of bin/secretrun.cjs when secretrun is not on git\'s PATH.',
  },
] as const satisfies readonly FlagSpec[];

async function readText(path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new SecretrunError('store_io', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

// `git setup`: route the store to secretrun's merge and diff drivers.
export const gitSetupCommand: Command = {
  name: 'git setup',
  usage: 'secretrun git setup [options]',
  description:
    "Sets git up to merge the store secret by secret and to diff it as a listing of paths and versions. It adds `/store.json -text merge=secretrun diff=secretrun` to the .gitattributes beside the store (commit it), and defines the drivers in git config. git never runs commands named by a repository's own files, so everyone who works on the repository runs this once (or once with -global).\n\n  $ secretrun git setup\n  $ secretrun git setup -global -command='npx secretrun'",
  flags,
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { flags: values } = parseCommandLine('git setup', flags, argv, context, { min: 0, max: 0 });
    const { io } = context;
    const store = resolveProjectStorePath(io.cwd, io.env, values.store || undefined);
    const dir = dirname(store);
    const name = basename(store);
    if (renderStoreAttributes(name) === undefined) {
      throw new SecretrunError('usage', `cannot set git up for ${store}: its name needs quoting in .gitattributes (use letters, digits, ".", "_" and "-"), or add \`/<name> -text merge=secretrun diff=secretrun\` by hand`);
    }
    // The store's directory may not exist yet; like the store's own, it is its owner's only.
    await makePrivateDir(dir);
    const git = { cwd: dir, env: io.env };
    const root = await readRepoRoot(git);
    const attributesFile = join(dir, '.gitattributes');
    const updated = addStoreAttributes(await readText(attributesFile), name);
    if (updated !== undefined) await writeFileAtomic(attributesFile, updated);
    await writeGitConfig(git, renderDriverConfig(values.command), values.global);
    const shown = relative(root, attributesFile);
    io.stdout.write(
      `${updated === undefined ? `${shown} already routes ${name} to secretrun` : `Wrote ${shown}: ${renderStoreAttributes(name)}`}\n` +
        `Defined the ${driverName} merge and diff drivers in ${values.global ? 'your global git config' : "this repository's .git/config"} (run as: ${values.command})\n`,
    );
    const effective = await readGitAttributes(git, store, ['merge', 'diff', 'text']);
    const wrong = Object.entries({ merge: driverName, diff: driverName, text: 'unset' }).filter(([attribute, value]) => effective[attribute] !== value);
    if (wrong.length > 0) {
      io.stderr.write(
        `secretrun: git still gives ${relative(root, store)} ${wrong.map(([attribute]) => `${attribute}=${effective[attribute]}`).join(' ')}: another attributes file overrides it (look in .git/info/attributes)\n`,
      );
      return 1;
    }
    if (updated !== undefined) io.stdout.write(`Commit ${shown}; everyone else runs \`secretrun git setup\` once in their clone.\n`);
    return 0;
  },
};
