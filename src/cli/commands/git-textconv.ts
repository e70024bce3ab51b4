import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSecretrunError } from '../../errors.js';
import { createFileStoreAccess } from '../../team/store-access.js';
import { renderStoreListing } from '../../team/store-listing.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';

// Why a store could not be listed, in words that do not depend on where git put the file (git
// diffs the two outputs, so a temp path in them would show as a change).
const reasons: Record<string, string> = {
  store_key: 'no key of this machine opens it',
  store_integrity: 'it fails its integrity check',
  store_format: 'it is not a store (an unfinished merge?)',
  store_missing: 'the file is empty',
};

// `git textconv`: what `git diff` shows of a store (git runs it with one file).
export const gitTextconvCommand: Command = {
  name: 'git textconv',
  usage: 'secretrun git textconv FILE',
  description:
    "git's textconv driver for secretrun stores; `secretrun git setup` sets git up to run it, so `git diff` and `git log -p` show which mounts, secrets and versions a change touched and who can open the store, never a value. A store this machine cannot open is shown as stored (ciphertext), after a line saying why.",
  flags: [],
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { args } = parseCommandLine('git textconv', [], argv, context, { min: 1, max: 1 });
    const { io } = context;
    const path = resolve(io.cwd, args[0] ?? '');
    try {
      const listing = await createFileStoreAccess({ env: io.env }).readListing(path, Date.now());
      io.stdout.write(renderStoreListing(listing));
    } catch (error) {
      if (!isSecretrunError(error)) throw error;
      io.stdout.write(`# secretrun cannot list this store: ${reasons[error.code] ?? error.code}; shown as stored\n`);
      io.stdout.write(readFileSync(path, 'utf8'));
    }
    return 0;
  },
};
