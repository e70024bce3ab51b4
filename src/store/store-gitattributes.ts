import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readFileBounded } from '../fs/bounded-read.js';

// A new store gets a line in the .gitattributes beside it that keeps git from converting its
// line endings (core.autocrlf on Windows turns "\n" into "\r\n" on checkout, and the MAC covers
// the original bytes). `-text` rather than `binary`: diffs of the store stay readable.

// The attribute line for the store at `storePath`, anchored to its directory.
export function renderGitattributesLine(storePath: string): string {
  return `/${basename(storePath)} -text`;
}

// Adds the line to `.gitattributes` beside the store unless a line for the store is there.
export async function writeStoreGitattributes(storePath: string): Promise<void> {
  const file = join(dirname(storePath), '.gitattributes');
  const line = renderGitattributesLine(storePath);
  let existing = '';
  try {
    existing = readFileBounded(file, 1024 * 1024).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const patterns = new Set([line.split(' ')[0], basename(storePath)]);
  if (existing.split('\n').some((l) => patterns.has(l.trim().split(/\s+/)[0]) && /(^|\s)-text(\s|$)/.test(l))) return;
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(file, `${existing}${separator}${line}\n`);
}
