import { resolve } from 'node:path';
import { createFileStoreAccess } from '../../team/store-access.js';
import { mergeStoreFiles, renderMergeReport } from '../../team/store-file-merge.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';

// `merge-driver`: git's merge driver for stores, run by git as `secretrun merge-driver %O %A
// %B %P` once `secretrun git setup` defined it. Exit 0 is a clean merge; 1 leaves the path
// conflicted in git (the merged store still verifies), any other code is a failure that
// wrote nothing.
export const mergeDriverCommand: Command = {
  name: 'merge-driver',
  usage: 'secretrun merge-driver BASE OURS THEIRS [PATH]',
  description:
    "git's merge driver for secretrun stores; `secretrun git setup` sets git up to run it. It opens the merge base, ours and theirs with this machine's key, merges them secret by secret and version by version, and writes the merged store over OURS. Secrets changed on both sides are reported by path, never by value, and kept for `secretrun kv` to resolve; the exit code is then 1, so git leaves the store marked as conflicted until `git add`.",
  flags: [],
  vaultGlobalFlags: false,
  async run(argv, context) {
    const { args } = parseCommandLine('merge-driver', [], argv, context, { min: 3, max: 4 });
    const { io } = context;
    const [base = '', ours = '', theirs = '', shown = ours] = args;
    const files = { base: resolve(io.cwd, base), ours: resolve(io.cwd, ours), theirs: resolve(io.cwd, theirs) };
    const conflicts = await mergeStoreFiles(files, createFileStoreAccess({ env: io.env }));
    io.stderr.write(renderMergeReport(shown, conflicts));
    return conflicts.length === 0 ? 0 : 1;
  },
};
