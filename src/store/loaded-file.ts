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
   * there was no file)? How much stat data is trusted is the caller's `check`.
   */
  isCurrent(header: Buffer | undefined, check: CurrentCheck): boolean;
}

// What a file is compared by:
// - 'read': stat data once it is settled; until then the header on disk too;
// - 'verify' (a writer that just took the lock): the header on disk, whatever stat says;
// - 'held' (a writer that has held the lock since its last check): stat data alone. No other
//   secretrun process can have written, and a program that replaces or rewrites the file
//   changes its inode, size or ctime; only an edit in place of the same size within the same
//   clock tick would go unseen, and the journal's running MAC refuses a journal edited so.
//   Three stats instead of reading three headers: about 3% of a database creds read on a file
//   store (bench/database-server.mjs with BASE).
export type CurrentCheck = 'read' | 'verify' | 'held';

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
    isCurrent(header, check) {
      if (header === undefined || check === 'held' || (settled && check === 'read')) return isSameSignature(statSignature(path), signature);
      // The header ends in the MAC over the whole file, so equal headers mean equal files.
      const verifiedAt = now();
      const found = readStoreHead(path, header.length);
      if (found === undefined || !isSameSignature(found.signature, signature) || !found.head.equals(header)) return false;
      settled = isSettled(signature, verifiedAt);
      return true;
    },
  };
}
