import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// Reading a file that cannot legitimately be larger than some size, without trusting it: a
// path such as /dev/zero or a FIFO reports no size and never ends, and a regular file can be
// many GiB. A regular file's size is checked before reading; anything else is read until the
// limit is passed, then refused. Synchronous, like the readers on the start-up path it serves.

// A file or stream larger than its reader accepts.
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
  readonly code = 'EFBIG';
  constructor(
    readonly path: string,
    readonly limit: number,
  ) {
    super(`${path} is larger than ${formatSize(limit)}`);
  }
}

// Is this the error a bounded read throws for a file over its limit? By name, not instanceof:
// the lazily loaded bundles each hold their own copy of this class.
export function isTooLarge(error: unknown): error is TooLargeError {
  return error instanceof Error && error.name === 'TooLargeError';
}

// A size limit as people write it: 4 KiB, 32 MiB.
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

// The contents of `path`, at most `limit` bytes; throws TooLargeError past it, or the fs error.
export function readFileBounded(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    // A size of 0 is no promise (files under /proc report 0 and have contents): read to the end.
    return readOpenFileBounded(fd, path, limit, info.isFile() && info.size > 0 ? info.size : undefined);
  } finally {
    closeSync(fd);
  }
}

// The contents of an open file: `size` bytes when it is a regular file of known size (read to
// its end, which a concurrent append cannot move past the checked size), else read until
// the end of the stream or past `limit`.
export function readOpenFileBounded(fd: number, path: string, limit: number, size: number | undefined): Buffer {
  if (size !== undefined && size > limit) throw new TooLargeError(path, limit);
  let buffer = Buffer.allocUnsafe(size ?? Math.min(limit + 1, 64 * 1024));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (size !== undefined) break;
      if (length > limit) throw new TooLargeError(path, limit);
      const grown = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
}
