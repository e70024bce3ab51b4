import { resolveStoreKey } from './recipients/recipient-key.js';
import type { KeyOptions, RootKey } from './root-key.js';
import type { StoreCreation } from './init-store.js';
import { createLoadedStore } from './loaded-store.js';
import { runtimePrefixes } from './state-routing.js';
import type { Storage, Store } from './storage.js';
import type { StoreHeader } from './store-format.js';
import { journalPathOf, statePathOf } from './store-paths.js';
import { maxStoreBytes } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { createEntryReader } from './store-view.js';
import { createStoreWriter } from './store-writer.js';
import { readWriteEpoch } from './write-epoch.js';
import type { JournalSettings } from './journal-checkpointer.js';
import { closedError, runTransaction } from './transaction.js';

// The durable Store over one encrypted file, its state file and, for a long-lived writer, its
// journal (docs/store-format.md). Reads are served from what was loaded (re-read only when a
// file changed on disk) and decrypt only the entries asked for; writes go through group
// commit under the store lock (store-writer.ts).

// How to open a store file.
export interface FileStoreOptions extends KeyOptions {
  path: string;
  /** Create the store (and its key) on the first write when the file is missing. */
  create?: boolean;
  /** Told where the key went when a write created the store. */
  onCreated?: (creation: StoreCreation) => void;
  /** How long a write waits for another process's lock; 10 s by default. */
  lockTimeoutMs?: number;
  /** The largest file read or written; maxStoreBytes (256 MiB) by default. */
  maxBytes?: number;
  /** The clock that decides when stat data alone identifies the file (see file-signature.ts). */
  now?: () => number;
  /** Called for every entry actually decrypted (an observable for laziness and caching). */
  onDecrypt?: (storageKey: string) => void;
  /**
   * Write through a journal checkpointed in the background (a long-lived writer: the server),
   * with these triggers (defaults: journalDefaults); else every write rewrites the files.
   */
  journal?: boolean | Partial<JournalSettings>;
  /** Told when a background checkpoint failed (its writes stay in the journal; the next trigger retries). */
  onCheckpointError?: (error: unknown) => void;
  /** The storage-key prefixes kept in the state file (state-routing.ts); tests change them. */
  runtimePrefixes?: readonly string[];
}

// When a journal is checkpointed by default: after 1,000 records, 1 MiB or 2 seconds,
// whichever comes first. Measured in docs/store-format.md ("Triggers"): a reader pays about
// 10 ms more beside a 1 MiB journal (50 ms beside 4 MiB), and at 3,000 PUT/s a checkpoint of
// a 10,000-secret store every ~0.4 s takes a few percent of the server's time.
export const journalDefaults: JournalSettings = { records: 1_000, bytes: 1024 * 1024, ms: 2_000 };

// A Store over a file, with what the server needs to serve reads from memory.
export interface FileStore extends Store {
  readonly path: string;
  /** The store id, or undefined while the file does not exist. */
  readonly id: string | undefined;
  /** Has a file been replaced, created or removed since it was last loaded? */
  changedOnDisk(): Promise<boolean>;
  /** Loads the files again now. */
  reload(): Promise<void>;
  /** Folds the journal into the store and state files now (journal mode). */
  checkpoint(): Promise<void>;
}

// Opens the store at `options.path`, verifying it now so that key and integrity errors
// surface at once. A missing file reads as empty.
export async function openFileStore(options: FileStoreOptions): Promise<FileStore> {
  const { path } = options;
  const paths = { store: path, state: statePathOf(path), journal: journalPathOf(path) };
  const maxBytes = options.maxBytes ?? maxStoreBytes;
  const prefixes = options.runtimePrefixes ?? runtimePrefixes;
  const journal = options.journal === undefined || options.journal === false ? undefined : { ...journalDefaults, ...(options.journal === true ? {} : options.journal) };
  const reader = createEntryReader(prefixes, options.onDecrypt);
  const resolveKey = async (header: StoreHeader, known: StoreSnapshot | undefined): Promise<RootKey> => {
    const same = known !== undefined && known.header.id === header.id && known.header.check === header.check && JSON.stringify(known.header.kdf) === JSON.stringify(header.kdf);
    return same ? known.rootKey : resolveStoreKey(options, header, path);
  };
  const loaded = createLoadedStore(paths, reader, { resolveKey, eagerState: journal !== undefined, maxBytes, prefixes, now: options.now ?? Date.now });
  const writer = createStoreWriter(loaded, reader, {
    ...options,
    paths,
    create: options.create === true,
    onCreated: options.onCreated,
    lockTimeoutMs: options.lockTimeoutMs,
    maxBytes,
    prefixes,
    journal,
    onCheckpointError: options.onCheckpointError,
  });
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw closedError(`store ${path}`);
  };
  // Every read checks that no file changed on disk, unless this process holds the lock (then no
  // other process can write, and its own writes are in memory already). The reads of one turn
  // of the event loop share one check (three stats cost a busy server a sixth of its GET
  // throughput; bench/server): they were all asked for by events that arrived before the loop
  // woke for them, so a write another process acknowledged before any of them was asked for
  // is on disk before that check. A write of this process (another FileStore) is counted by
  // write-epoch.ts and makes the next read look again.
  let checkedAt: number | undefined;
  const refresh = async (): Promise<void> => {
    if (writer.busy || checkedAt === readWriteEpoch()) return;
    if (!loaded.isCurrent('read')) await loaded.load();
    if (checkedAt === undefined) setImmediate(() => (checkedAt = undefined)).unref();
    checkedAt = readWriteEpoch();
  };

  await loaded.load();
  writer.opened();

  return {
    path,
    get id() {
      return loaded.store?.header.id;
    },
    async read<T>(fn: (storage: Storage) => T) {
      assertOpen();
      await refresh();
      return runTransaction(reader.view(loaded.layers), fn);
    },
    async update<T>(fn: (storage: Storage) => T) {
      assertOpen();
      return writer.update(fn);
    },
    async changedOnDisk() {
      return !loaded.isCurrent('read');
    },
    async reload() {
      assertOpen();
      await loaded.load();
    },
    async checkpoint() {
      assertOpen();
      await writer.checkpoint();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await writer.close();
      } finally {
        await loaded.clear();
      }
    },
  };
}
