import { existsSync } from 'node:fs';
import { isSameSignature } from './file-signature.js';
import type { FileSignature } from './file-signature.js';
import { deriveFileMacKey } from './key-derivation.js';
import { findJournalPosition, parseJournal, replayJournal } from './journal-format.js';
import type { ParsedJournal } from './journal-format.js';
import { isRuntimeKey } from './state-routing.js';
import { loadStateSnapshot } from './state-snapshot.js';
import type { StateSnapshot } from './state-snapshot.js';
import { integrityError } from './store-format.js';
import { loadSnapshot, readStoreFile, readStoreFileSync } from './store-snapshot.js';
import type { RootKeyResolver, StoreSnapshot } from './store-snapshot.js';
import type { JournalChange } from './store-view.js';

// Reading a store's files as one consistent state, without the lock: the journal first, then
// the store file, then the state file. A journal read first holds every write acknowledged
// before the read began (one that is absent means all of them reached the files, since a
// journal is removed only after its checkpoint renamed them into place); the files read after
// it are that old or newer, and the journal names the files it applies to (its header, or a
// checkpoint record), so a checkpoint that ran in between is seen and the read is retried.
// A journal that still does not apply when nothing moved is refused, never dropped.

// The files of one store.
export interface StorePaths {
  store: string;
  state: string;
  journal: string;
}

// A journal as read: verified, with the signature of the bytes it was parsed from.
export interface ReadJournal {
  parsed: ParsedJournal;
  bytes: Buffer;
  signature: FileSignature;
}

// What a consistent read of the files found.
export interface LoadedFiles {
  store: StoreSnapshot | undefined;
  storeSignature: FileSignature | undefined;
  /** 'unread' when no journal needed it and it was not asked for (read on first use). */
  state: StateSnapshot | undefined | 'unread';
  stateSignature: FileSignature | undefined;
  journal: ReadJournal | undefined;
  /** The journal's changes not yet in the files. */
  changes: Map<string, JournalChange>;
}

// Reads and verifies the state file of `store`, or undefined when there is none.
export function readStateFile(path: string, store: StoreSnapshot, maxBytes: number): { snapshot: StateSnapshot; signature: FileSignature } | undefined {
  const file = readStoreFileSync(path, maxBytes);
  return file === undefined ? undefined : { snapshot: loadStateSnapshot(path, file.bytes, store), signature: file.signature };
}

const attempts = 20;

// Reads the store's files; `eagerState` reads the state file even when no journal needs it.
export async function readStoreFiles(
  paths: StorePaths,
  resolveKey: RootKeyResolver,
  options: { eagerState: boolean; maxBytes: number; prefixes: readonly string[] },
): Promise<LoadedFiles> {
  let previous: { journal: FileSignature; store: string; state: string | null } | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    // A journal is rare (a server with writes not yet checkpointed): one failed stat, no exception.
    const journalFile = existsSync(paths.journal) ? await readStoreFile(paths.journal, options.maxBytes) : undefined;
    const storeFile = await readStoreFile(paths.store, options.maxBytes);
    if (storeFile === undefined) {
      if (journalFile !== undefined) {
        throw integrityError(paths.journal, `it holds writes to ${paths.store}, which is not there; restore that file`);
      }
      return { store: undefined, storeSignature: undefined, state: 'unread', stateSignature: undefined, journal: undefined, changes: new Map() };
    }
    const store = await loadSnapshot(paths.store, storeFile.bytes, resolveKey);
    const state = journalFile !== undefined || options.eagerState ? readStateFile(paths.state, store, options.maxBytes) : undefined;
    const loaded = { store, storeSignature: storeFile.signature, state: state?.snapshot ?? 'unread', stateSignature: state?.signature } as const;
    if (journalFile === undefined) {
      return { ...loaded, state: options.eagerState ? state?.snapshot : 'unread', journal: undefined, changes: new Map() };
    }
    const parsed = parseJournal(journalFile.bytes, deriveFileMacKey(store.rootKey.key, 'journal'), paths.journal);
    if (parsed.header.id !== store.header.id) throw integrityError(paths.journal, `it is the journal of another store (id ${parsed.header.id})`);
    const stateMac = state?.snapshot.mac ?? null;
    const from = { store: findJournalPosition(parsed, 'store', store.mac), state: findJournalPosition(parsed, 'state', stateMac) };
    if (from.store !== undefined && from.state !== undefined) {
      const replayed = replayJournal(parsed, { store: from.store, state: from.state }, (key) => isRuntimeKey(key, options.prefixes));
      return { ...loaded, state: state?.snapshot, journal: { parsed, bytes: journalFile.bytes, signature: journalFile.signature }, changes: replayed };
    }
    // A checkpoint may have replaced a file between the reads: read again, unless nothing moved.
    if (previous !== undefined && isSameSignature(previous.journal, journalFile.signature) && previous.store === store.mac && previous.state === stateMac) {
      const file = from.store === undefined ? `the store file ${paths.store}` : `the state file ${paths.state}`;
      throw integrityError(
        paths.journal,
        `it does not apply to ${file}, which was replaced while the journal held writes not yet in it (a git checkout or a restored copy?); restore the file it was written on`,
      );
    }
    previous = { journal: journalFile.signature, store: store.mac, state: stateMac };
  }
  throw integrityError(paths.journal, 'the store kept changing while it was read');
}
