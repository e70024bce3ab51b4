import type { FileHandle } from 'node:fs/promises';
import { writeTempFileWith } from '../fs/atomic-write.js';
import { computeStoreMac, renderSignedHeader, signedHeaderLength, startStoreMac } from './store-format.js';

// Writing a store or state file whose header ends in the MAC of the whole file, without first
// copying it into one buffer: the entry lines (slices of the old file and the new lines) are
// written where they belong while the MAC is computed, then the header. For a 10,000-secret
// store this saves the copy of ~7 MiB and overlaps the hashing with the write (bench/store).
// A background writer (the server's checkpoint) goes a slice at a time instead: each MiB is
// written, hashed and flushed to disk before a pause, so neither the CPU nor the disk is taken
// by the whole file at once — a journal append's fdatasync meanwhile would otherwise wait
// behind the flush of ~10 MiB (the p99 of PUTs on a 10,000-secret store; bench/server).

// A file about to be written: its header without the MAC, its entry lines as byte chunks of
// whole lines, and the key of its MAC.
export interface UnsignedFile {
  headerBody: string;
  entries: Buffer[];
  macKey: Buffer;
}

// The size of the file once signed.
export function signedFileLength(file: UnsignedFile): number {
  return file.entries.reduce((total, chunk) => total + chunk.length, signedHeaderLength(file.headerBody));
}

// How many bytes a sliced write writes, hashes and flushes between two pauses.
const sliceBytes = 1024 * 1024;

// Writes the entry lines at their place, hashing them; resolves to the MAC.
async function writeEntries(handle: FileHandle, file: UnsignedFile, path: string): Promise<string> {
  const writing = handle.writev(file.entries, signedHeaderLength(file.headerBody));
  let mac: string;
  try {
    mac = computeStoreMac(file.macKey, file.headerBody, file.entries);
  } finally {
    await writing.catch(() => undefined);
  }
  const { bytesWritten } = await writing;
  if (bytesWritten !== signedFileLength(file) - signedHeaderLength(file.headerBody)) throw new RangeError(`short write beside ${path}`);
  return mac;
}

// writeEntries a slice at a time: written, hashed and fdatasynced, then `pause`.
async function writeEntriesSliced(handle: FileHandle, file: UnsignedFile, path: string, pause: () => Promise<void>): Promise<string> {
  const hmac = startStoreMac(file.macKey, file.headerBody);
  let offset = signedHeaderLength(file.headerBody);
  let slice: Buffer[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const { bytesWritten } = await handle.writev(slice, offset);
    if (bytesWritten !== size) throw new RangeError(`short write beside ${path}`);
    offset += size;
    slice = [];
    size = 0;
    await handle.datasync();
    await pause();
  };
  for (const chunk of file.entries) {
    hmac.update(chunk);
    slice.push(chunk);
    size += chunk.length;
    if (size >= sliceBytes) await flush();
  }
  if (size > 0) await flush();
  return hmac.digest('base64');
}

// Writes `file` to an fsynced temp file beside `path`: resolves to its path, its header line
// (with the MAC) and the MAC. With `pause`, a slice at a time (above).
export async function writeSignedTempFile(
  path: string,
  file: UnsignedFile,
  options: { mode?: number; pause?: () => Promise<void> } = {},
): Promise<{ temp: string; header: Buffer; mac: string }> {
  const { temp, result } = await writeTempFileWith(
    path,
    async (handle) => {
      const mac = options.pause === undefined ? await writeEntries(handle, file, path) : await writeEntriesSliced(handle, file, path, options.pause);
      const header = renderSignedHeader(file.headerBody, mac);
      await handle.write(header, 0, header.length, 0);
      return { header, mac };
    },
    options.mode === undefined ? {} : { mode: options.mode },
  );
  return { temp, ...result };
}
