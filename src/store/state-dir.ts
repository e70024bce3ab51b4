import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { makePrivateDir } from '../fs/private-file.js';

// The directory of a store's local files (state file, journal; store-paths.ts): 0700 whatever
// the umask, and holding a `.gitignore` of `*`, so that none of it is ever committed, whatever
// the project's own .gitignore says.

// Creates the directory of `file` with its .gitignore when either is missing.
export async function ensureStateDir(file: string): Promise<void> {
  const dir = dirname(file);
  await makePrivateDir(dir);
  await fs.writeFile(join(dir, '.gitignore'), '*\n', { flag: 'wx', mode: 0o644 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}
