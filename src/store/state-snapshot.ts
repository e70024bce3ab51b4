import { createEntryIndex } from './entry-index.js';
import { lazyEntryIndex } from './store-snapshot.js';
import type { EntryIndex } from './entry-index.js';
import { deriveFileMacKey } from './key-derivation.js';
import { integrityError, readHeaderMac, verifyStoreMac } from './store-format.js';
import { parseStateBytes } from './state-format.js';
import type { StateHeader } from './state-format.js';
import type { StoreSnapshot } from './store-snapshot.js';

// One verified state file (see state-format.ts), read or just written. Its entries are sealed
// with the store's data keys, so opening one needs the store snapshot it belongs to.

// A loaded, verified state file.
export interface StateSnapshot {
  readonly path: string;
  readonly header: StateHeader;
  /** The header line with its "\n", as in the file. */
  readonly headerBytes: Buffer;
  readonly mac: string;
  readonly entries: EntryIndex;
}

// Parses and verifies the state file `bytes` of the store `store`: it must name that store and
// its root key, and its MAC must hold.
export function loadStateSnapshot(path: string, bytes: Buffer, store: StoreSnapshot): StateSnapshot {
  const parsed = parseStateBytes(bytes, path);
  if (parsed.header.id !== store.header.id) {
    throw integrityError(path, `it is the state file of another store (id ${parsed.header.id}, not ${store.header.id})`);
  }
  if (parsed.header.check !== store.header.check) {
    throw integrityError(path, 'it was written under another root key (an interrupted rekey?)');
  }
  verifyStoreMac(parsed, bytes, deriveFileMacKey(store.rootKey.key, 'state'), path);
  const headerBytes = bytes.subarray(0, parsed.entriesStart);
  return { path, header: parsed.header, headerBytes, mac: parsed.mac, entries: createEntryIndex(bytes, parsed.entriesStart, path) };
}

// The snapshot of a state file this process just wrote (not parsed or verified again);
// `bytes` as for adoptRenderedStore.
export function adoptRenderedState(path: string, bytes: Buffer | (() => Buffer), headerBytes: Buffer, store: Pick<StoreSnapshot, 'header'>): StateSnapshot {
  return { path, header: { id: store.header.id, check: store.header.check }, headerBytes, mac: readHeaderMac(headerBytes), entries: lazyEntryIndex(bytes, headerBytes.length, path) };
}
