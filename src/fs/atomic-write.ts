import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Replacing a file so that a crash at any moment leaves the old or the new content: write a
// temp file in the same directory, fsync it, rename it over the target, fsync the directory.

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
// when given, else the existing file's mode (0644 for a new file), whatever the umask.
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
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
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

// Removes temp files a killed writer left beside `path`. Only call it holding the store lock:
// then no live writer owns any of them. They hold only ciphertext, but they are clutter.
export async function removeStaleTempFiles(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  const names = await fs.readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.unlink(join(dirname(path), n)).catch(() => undefined)));
}
