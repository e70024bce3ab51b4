import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

// Files and directories only their owner may read: tokens, keys, the store's directory.
// Modes are set explicitly, since what open() and mkdir() are given passes through the umask.

// Writes `text` to `path` with mode 0600, atomically: the file is replaced, never rewritten in
// place, so it is 0600 even when it existed with a wider mode, and no reader sees it half written.
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, { mode: 0o600 });
}

// Creates `dir` and any missing parents; the directories it creates are 0700 whatever the
// umask. An existing directory is left as it is: it may be the user's project.
export async function makePrivateDir(dir: string): Promise<void> {
  const first = await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  // Every directory from `first` down to `dir` was created here, and nothing above it.
  const top = resolve(first);
  for (let created = resolve(dir); created.startsWith(top); created = dirname(created)) {
    await fs.chmod(created, 0o700);
    if (created === top) break;
  }
}
