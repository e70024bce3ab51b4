import { statSync } from 'node:fs';
import { buildSignature, isSameSignature, isSettled, missingSignature } from './file-signature.js';
import type { FileSignature } from './file-signature.js';
import { ioError, readStoreHead } from './store-snapshot.js';

// Which store file a long-lived process has loaded, and whether the disk still holds it (see
// file-signature.ts for why stat data alone is not enough). Synchronous on purpose: it runs on
// every read, where a stat of a cached inode takes microseconds while the async form queues
// on libuv's thread pool (a fifth of the server's CPU time under load).

// The loaded file of one store.
export interface LoadedFile {
  /** Records a file loaded from disk with this signature; `verifiedAt` is a clock reading taken before it was read. */
  loaded(signature: FileSignature, verifiedAt: number): void;
  /** Records the file this process just wrote (and renamed into place). */
  written(): void;
  /**
   * Does the disk still hold the loaded file, whose header line is `header` (undefined when
   * there was no file)? Stat data decides once it is settled; until then, or when `verify`
   * (before every write, under the lock), the header on disk is compared too.
   */
  isCurrent(header: Buffer | undefined, verify: boolean): boolean;
}

function statSignature(path: string): FileSignature {
  let info;
  try {
    // No exception for a missing file: the journal is usually absent, and is checked per read.
    info = statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    throw ioError(path, 'read', error);
  }
  return info === undefined ? missingSignature : buildSignature(info);
}

// Tracks the file at `path`; `now` is the clock that settles signatures (Date.now).
export function createLoadedFile(path: string, now: () => number): LoadedFile {
  let signature = missingSignature;
  let settled = false;
  return {
    loaded(next, verifiedAt) {
      signature = next;
      settled = isSettled(next, verifiedAt);
    },
    written() {
      signature = statSignature(path);
      settled = false;
    },
    isCurrent(header, verify) {
      if (header === undefined || (settled && !verify)) return isSameSignature(statSignature(path), signature);
      // The header ends in the MAC over the whole file, so equal headers mean equal files.
      const verifiedAt = now();
      const found = readStoreHead(path, header.length);
      if (found === undefined || !isSameSignature(found.signature, signature) || !found.head.equals(header)) return false;
      settled = isSettled(signature, verifiedAt);
      return true;
    },
  };
}
