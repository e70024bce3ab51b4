import { missingSignature } from './file-signature.js';
import { adoptJournal, closeJournal } from './journal.js';
import type { JournalFile } from './journal.js';
import { createLoadedFile } from './loaded-file.js';
import type { CurrentCheck } from './loaded-file.js';
import type { RootKey } from './root-key.js';
import type { StateSnapshot } from './state-snapshot.js';
import { readStateFile, readStoreFiles } from './store-load.js';
import type { StorePaths } from './store-load.js';
import type { StoreHeader } from './store-format.js';
import type { StoreSnapshot } from './store-snapshot.js';
import type { EntryReader, JournalChange, StoreLayers } from './store-view.js';
import { noteStoreWrite } from './write-epoch.js';

// What one process has loaded of a store — the store file, the state file (read on first use
// unless `eagerState`), the journal's changes and the journal itself — and whether the disk
// still holds it (each file tracked as loaded-file.ts does).

// The loaded files of one store.
export interface LoadedStore {
  readonly layers: StoreLayers;
  readonly store: StoreSnapshot | undefined;
  /** The state file (read now if it was not yet); undefined when there is none. */
  state(): StateSnapshot | undefined;
  /** The journal on disk, as read or as this process wrote it. */
  readonly journal: JournalFile | undefined;
  readonly changes: Map<string, JournalChange>;
  /** Reads the files again now. */
  load(): Promise<void>;
  /** Does the disk still hold what is loaded? `check` says how much stat data is trusted (loaded-file.ts). */
  isCurrent(check: CurrentCheck): boolean;
  /** Records files this process just wrote; what is not given stays. */
  adopt(next: { store?: StoreSnapshot; state?: StateSnapshot | undefined; journal?: JournalFile | undefined; changes?: Map<string, JournalChange> }): Promise<void>;
  /** Records that this process appended to its journal. */
  appended(): void;
  /** Forgets everything (close). */
  clear(): Promise<void>;
}

// Options of loading: the key resolver and limits.
export interface LoadOptions {
  resolveKey: (header: StoreHeader, known: StoreSnapshot | undefined) => Promise<RootKey>;
  eagerState: boolean;
  maxBytes: number;
  prefixes: readonly string[];
  now: () => number;
}

// Tracks the files at `paths`, reading through `reader` (whose plaintext cache it renews).
export function createLoadedStore(paths: StorePaths, reader: EntryReader, options: LoadOptions): LoadedStore {
  const files = { store: createLoadedFile(paths.store, options.now), state: createLoadedFile(paths.state, options.now), journal: createLoadedFile(paths.journal, options.now) };
  let store: StoreSnapshot | undefined;
  let state: StateSnapshot | undefined | 'unread' = 'unread';
  let journal: JournalFile | undefined;
  let changes = new Map<string, JournalChange>();
  let loading: Promise<void> | undefined;

  const readState = (): StateSnapshot | undefined => {
    if (state !== 'unread') return state;
    if (store === undefined) return undefined;
    const verifiedAt = options.now();
    const read = readStateFile(paths.state, store, options.maxBytes);
    state = read?.snapshot;
    files.state.loaded(read?.signature ?? missingSignature, verifiedAt);
    return state;
  };

  const load = async (): Promise<void> => {
    const verifiedAt = options.now();
    const loaded = await readStoreFiles(paths, (header) => options.resolveKey(header, store), options);
    await closeJournal(journal);
    store = loaded.store;
    state = loaded.state;
    changes = loaded.changes;
    journal = loaded.journal === undefined ? undefined : adoptJournal(paths.journal, loaded.journal.parsed, loaded.journal.bytes);
    files.store.loaded(loaded.storeSignature ?? missingSignature, verifiedAt);
    if (state !== 'unread') files.state.loaded(loaded.stateSignature ?? missingSignature, verifiedAt);
    files.journal.loaded(loaded.journal?.signature ?? missingSignature, verifiedAt);
    reader.loaded();
    if (store === undefined) reader.clear();
  };

  const layers: StoreLayers = {
    get store() {
      return store;
    },
    state: readState,
    get journal() {
      return changes;
    },
    journalPath: paths.journal,
  };

  return {
    layers,
    get store() {
      return store;
    },
    state: readState,
    get journal() {
      return journal;
    },
    get changes() {
      return changes;
    },
    load() {
      // One load at a time: reads that all find the file changed share it.
      loading ??= load().finally(() => (loading = undefined));
      return loading;
    },
    isCurrent(check) {
      return (
        files.store.isCurrent(store?.headerBytes, check) &&
        (state === 'unread' || files.state.isCurrent(state?.headerBytes, check)) &&
        files.journal.isCurrent(journal?.head, check)
      );
    },
    async adopt(next) {
      if ('journal' in next && next.journal !== journal) await closeJournal(journal);
      if (next.store !== undefined) {
        store = next.store;
        files.store.written();
      }
      if ('state' in next) {
        state = next.state;
        files.state.written();
      }
      if ('journal' in next) {
        journal = next.journal;
        files.journal.written();
      }
      if (next.changes !== undefined) changes = next.changes;
      reader.loaded();
      noteStoreWrite();
    },
    appended() {
      files.journal.written();
      noteStoreWrite();
    },
    async clear() {
      await closeJournal(journal);
      journal = undefined;
      store = undefined;
      state = 'unread';
      changes = new Map();
      reader.clear();
    },
  };
}
