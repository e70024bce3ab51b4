import { writeTempFileWith } from '../fs/atomic-write.js';
import { computeStoreMac, computeStoreMacSliced, renderSignedHeader, signedHeaderLength } from './store-format.js';

// Writing a store or state file whose header ends in the MAC of the whole file, without first
// copying it into one buffer: the entry lines (slices of the old file and the new lines) are
// written where they belong while the MAC is computed, then the header. For a 10,000-secret
// store this saves the copy of ~7 MiB and overlaps the hashing with the write (bench/store).

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

// Writes `file` to an fsynced temp file beside `path`: resolves to its path, its header line
// (with the MAC) and the MAC. With `pause`, the hashing pauses every MiB.
export async function writeSignedTempFile(
  path: string,
  file: UnsignedFile,
  options: { mode?: number; pause?: () => Promise<void> } = {},
): Promise<{ temp: string; header: Buffer; mac: string }> {
  const { temp, result } = await writeTempFileWith(
    path,
    async (handle) => {
      const writing = handle.writev(file.entries, signedHeaderLength(file.headerBody));
      let mac: string;
      try {
        mac = options.pause === undefined ? computeStoreMac(file.macKey, file.headerBody, file.entries) : await computeStoreMacSliced(file.macKey, file.headerBody, file.entries, options.pause);
      } finally {
        await writing.catch(() => undefined);
      }
      const { bytesWritten } = await writing;
      if (bytesWritten !== signedFileLength(file) - signedHeaderLength(file.headerBody)) throw new RangeError(`short write beside ${path}`);
      const header = renderSignedHeader(file.headerBody, mac);
      await handle.write(header, 0, header.length, 0);
      return { header, mac };
    },
    options.mode === undefined ? {} : { mode: options.mode },
  );
  return { temp, ...result };
}
