import { SecretrunError } from '../errors.js';
import { explainStoreFailure } from './store-access.js';
import type { StoreAccess } from './store-access.js';
import { mergeStoreContents } from './store-merge.js';
import type { MergeConflict } from './store-merge.js';

// What git's merge driver does with three store files: open the merge base, ours and theirs,
// merge their contents secret by secret, and leave the result in ours' file, whose MAC then
// verifies. The files are reached only through StoreAccess.

// The three files git hands the driver (%O, %A, %B).
export interface StoreMergeFiles {
  base: string;
  ours: string;
  theirs: string;
}

// Merges the files; ours' file holds the result. Returns the conflicts (left in the merged
// store for `secretrun kv` to resolve). A failure writes nothing.
export async function mergeStoreFiles(files: StoreMergeFiles, access: StoreAccess): Promise<MergeConflict[]> {
  const read = async (path: string, which: string) => {
    try {
      return await access.readContents(path);
    } catch (error) {
      throw explainStoreFailure(error, which);
    }
  };
  const ours = await read(files.ours, 'ours (the branch being merged into)');
  const theirs = await read(files.theirs, 'theirs (the branch being merged in)');
  const base = await read(files.base, 'the merge base');
  if (ours === undefined || theirs === undefined) {
    throw new SecretrunError('store_format', `cannot merge: ${ours === undefined ? 'ours' : 'theirs'} is an empty file, not a store`);
  }
  for (const other of [theirs, base]) {
    if (other !== undefined && other.id !== ours.id) {
      throw new SecretrunError('store_format', `cannot merge: the stores have different ids (${ours.id} and ${other.id}): they were created separately, so their secrets cannot be merged`, {
        hint: 'keep one of them (`git checkout --ours` or `--theirs`) and copy the other\'s secrets into it with `secretrun kv put`',
      });
    }
  }
  const merged = mergeStoreContents(base?.contents ?? new Map(), ours.contents, theirs.contents);
  const accessConflicts = await access.writeContents(files.ours, merged.entries, { base, theirs });
  return [...merged.conflicts, ...accessConflicts];
}

// The driver's report for stderr: one line per conflict, path and reason, never a value.
export function renderMergeReport(storePath: string, conflicts: readonly MergeConflict[]): string {
  if (conflicts.length === 0) return `secretrun: merged ${storePath} secret by secret\n`;
  const lines = conflicts.map((c) => `  ${c.path}: ${c.reason}`);
  const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
  return [
    `secretrun: merged ${storePath} secret by secret, with ${count}:`,
    ...lines,
    `The merged store verifies and holds ours where a choice was needed: check these with \`secretrun kv get\` / \`kv metadata get\`, fix them with \`secretrun kv\`, then \`git add ${storePath}\`.`,
    '',
  ].join('\n');
}
