import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { filePlatform, retryTransient } from './platform-files.js';

// Replacing a file so that a crash at any moment leaves the old or the new content: write a
// temp file in the same directory, fsync it, rename it over the target, fsync the directory
// (where the platform can: platform-files.ts). The steps are also exported apart, for a writer
// that prepares several files before it renames any (the store's checkpoint: the store file
// and its state file).

function tempPrefix(path: string): string {
  return `${basename(path)}.tmp-`;
}

// Makes the directory entries of `dir` (a rename, a new or removed file) durable, where the
// platform can (`platform`, the process's by default; not on Windows: platform-files.ts).
export async function syncDirectory(dir: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (!filePlatform(platform).syncsDirectories) return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// Writes `data` to a new temp file beside `path` and fsyncs it; resolves to the temp file's
// path. The file gets `mode` when given, else the existing file's mode (0644 for a new file),
// whatever the umask (on Windows, modes only say whether the file is read-only). Nothing is
// left behind when it fails.
export async function writeTempFile(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<string> {
  return (await writeTempFileWith(path, async (handle) => void (await handle.writeFile(data)), options)).temp;
}

// writeTempFile for a writer that writes the file in parts (`write` gets the open file): the
// temp file is created with the mode, written, fsynced and closed; `write`'s result is passed on.
export async function writeTempFileWith<T>(path: string, write: (handle: FileHandle) => Promise<T>, options: { mode?: number } = {}): Promise<{ temp: string; result: T }> {
  const temp = join(dirname(path), `${tempPrefix(path)}${process.pid}-${randomBytes(6).toString('hex')}`);
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
      const result = await write(handle);
      await handle.sync();
      return { temp, result };
    } finally {
      await handle.close();
    }
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

// Renames a temp file written by writeTempFile over `path` and fsyncs the directory; the
// temp file is removed when the rename fails. On Windows the rename is retried while another
// program holds the file (platform-files.ts).
export async function renameOver(temp: string, path: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  try {
    await retryTransient(filePlatform(platform), () => fs.rename(temp, path));
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path), platform);
}

// Atomically replaces `path` with `data` (text is written as UTF-8); `mode` as for
// writeTempFile, `platform` as for renameOver.
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number; platform?: NodeJS.Platform } = {}): Promise<void> {
  await renameOver(await writeTempFile(path, data, options.mode === undefined ? {} : { mode: options.mode }), path, options.platform);
}

// Removes temp files a killed writer left beside `path`. Only call it holding the store lock:
// then no live writer owns any of them. They hold only ciphertext, but they are clutter.
export async function removeStaleTempFiles(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  const names = await fs.readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.unlink(join(dirname(path), n)).catch(() => undefined)));
}
