import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { filePlatform, retryTransient } from './platform-files.js';

// Replacing a file so that a crash at any moment leaves the old or the new content: write a
// temp file in the same directory, fsync it, rename it over the target, fsync the directory
// (where the platform can: platform-files.ts).

function tempPrefix(path: string): string {
  return `${basename(path)}.tmp-`;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// Atomically replaces `path` with `data` (text is written as UTF-8). The new file gets `mode`
// when given, else the existing file's mode (0644 for a new file), whatever the umask. On
// Windows (`platform`, the process's by default) the rename is retried while another program
// holds the file, and the directory is not fsynced (platform-files.ts); modes there only say
// whether the file is read-only.
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number; platform?: NodeJS.Platform } = {}): Promise<void> {
  const files = filePlatform(options.platform ?? process.platform);
  const dir = dirname(path);
  const temp = join(dir, `${tempPrefix(path)}${process.pid}-${randomBytes(6).toString('hex')}`);
  const mode =
    options.mode ??
    (await fs.stat(path).then(
      (info) => info.mode & 0o777,
      () => 0o644,
    ));
  try {
    // Created with the mode already (never wider than asked), then set exactly: open's mode
    // passes through the umask.
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await retryTransient(files, () => fs.rename(temp, path));
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  if (files.syncsDirectories) await syncDirectory(dir);
}

// Removes temp files a killed writer left beside `path`. Only call it holding the store lock:
// then no live writer owns any of them. They hold only ciphertext, but they are clutter.
export async function removeStaleTempFiles(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  const names = await fs.readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.unlink(join(dirname(path), n)).catch(() => undefined)));
}
