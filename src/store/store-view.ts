import { compareGoStrings } from '../go/string-order.js';
import type { JsonValue } from '../json.js';
import { listsRuntime, isRuntimeKey } from './state-routing.js';
import type { StateSnapshot } from './state-snapshot.js';
import type { Storage } from './storage.js';
import { decryptEntry, openEntry } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { readOnlyError } from './transaction.js';

// One logical store over its layers: the store file, the state file (runtime keys, see
// state-routing.ts) and the journal's changes not yet checkpointed into either. Engines see
// one Storage; a key is looked up in the journal, then in the file it belongs to (a runtime key
// also in the store file, where stores written before the state file kept it, until the next
// write moves it). Entries are decrypted only when asked for, and kept decrypted while the line
// they came from is unchanged.

// A change the journal made: the sealed entry (null: deleted), the record that made it, and its
// plaintext once known.
export interface JournalChange {
  envelope: string | null;
  seq: number;
  text?: string | null;
}

// What a FileStore has loaded.
export interface StoreLayers {
  readonly store: StoreSnapshot | undefined;
  /** The state file, read on first use; undefined when there is none. */
  state(): StateSnapshot | undefined;
  readonly journal: ReadonlyMap<string, JournalChange>;
  readonly journalPath: string;
}

// Reads entries through the layers, with one plaintext cache across loads.
export interface EntryReader {
  /** The plaintext JSON at `key`, or undefined. */
  textOf(layers: StoreLayers, key: string): string | undefined;
  /** The keys under `prefix`, in Go string order. */
  keysOf(layers: StoreLayers, prefix: string): string[];
  /** A Storage over the layers; writable into `own` (with the batch's earlier changes under it) when given. */
  view(layers: StoreLayers, batch?: ReadonlyMap<string, string | null>, own?: Map<string, string | null>): Storage;
  /** The changes that differ from what the layers hold (an idempotent write writes nothing). */
  effectiveChanges(layers: StoreLayers, changes: ReadonlyMap<string, string | null>): Map<string, string | null>;
  /** Marks a new load: cached plaintexts are checked against their line on next use. */
  loaded(): void;
  clear(): void;
}

// A reader routing runtime keys by `prefixes`; `onDecrypt` observes every decryption.
export function createEntryReader(prefixes: readonly string[], onDecrypt?: (key: string) => void): EntryReader {
  // Plaintexts with the line they came from and the load (generation) it was found in. Within
  // that load a hit needs no lookup (the server's hot path); after a reload the line is looked
  // up once and the plaintext kept only if it did not change.
  const plain = new Map<string, { line: string; text: string; generation: number }>();
  let generation = 0;

  const fromFile = (file: StoreSnapshot | StateSnapshot, store: StoreSnapshot, key: string): string | undefined => {
    const cached = plain.get(key);
    if (cached?.generation === generation) return cached.text;
    const line = file.entries.lineOf(key);
    if (line === undefined) return undefined;
    if (cached?.line === line) {
      cached.generation = generation;
      return cached.text;
    }
    const text = file === store ? decryptEntry(store, key, line) : openEntry(store, file.path, key, line.slice(line.lastIndexOf('","v":"') + 7, -2));
    onDecrypt?.(key);
    plain.set(key, { line, text, generation });
    return text;
  };

  const textOf = (layers: StoreLayers, key: string): string | undefined => {
    const change = layers.journal.get(key);
    const { store } = layers;
    if (change !== undefined) {
      if (change.text === undefined) {
        change.text = change.envelope === null || store === undefined ? null : openEntry(store, layers.journalPath, key, change.envelope);
        onDecrypt?.(key);
      }
      return change.text ?? undefined;
    }
    if (store === undefined) return undefined;
    if (isRuntimeKey(key, prefixes)) {
      const state = layers.state();
      const text = state === undefined ? undefined : fromFile(state, store, key);
      if (text !== undefined) return text;
    }
    return fromFile(store, store, key);
  };

  const keysOf = (layers: StoreLayers, prefix: string): string[] => {
    const committed = layers.store?.entries.keysWithPrefix(prefix) ?? [];
    const runtime = layers.store !== undefined && listsRuntime(prefix, prefixes) ? (layers.state()?.entries.keysWithPrefix(prefix) ?? []) : [];
    const changed = [...layers.journal].filter(([key]) => key.startsWith(prefix));
    if (runtime.length === 0 && changed.length === 0) return committed;
    const keys = new Set([...committed, ...runtime]);
    for (const [key, change] of changed) {
      if (change.envelope === null) keys.delete(key);
      else keys.add(key);
    }
    return [...keys].sort(compareGoStrings);
  };

  const withChanges = (keys: string[], prefix: string, overlays: ReadonlyArray<ReadonlyMap<string, string | null> | undefined>): string[] => {
    let found: Set<string> | undefined;
    for (const overlay of overlays) {
      for (const [key, text] of overlay ?? []) {
        if (!key.startsWith(prefix)) continue;
        found ??= new Set(keys);
        if (text === null) found.delete(key);
        else found.add(key);
      }
    }
    return found === undefined ? keys : [...found].sort(compareGoStrings);
  };

  return {
    textOf,
    keysOf,
    view(layers, batch, own) {
      const lookup = (key: string): string | null | undefined => {
        const mine = own?.get(key);
        if (mine !== undefined) return mine;
        const earlier = batch?.get(key);
        return earlier !== undefined ? earlier : textOf(layers, key);
      };
      return {
        get(key) {
          const text = lookup(key);
          return text === undefined || text === null ? undefined : (JSON.parse(text) as JsonValue);
        },
        put(key, value) {
          if (own === undefined) throw readOnlyError();
          own.set(key, JSON.stringify(value));
        },
        delete(key) {
          if (own === undefined) throw readOnlyError();
          own.set(key, null);
        },
        list: (prefix) => withChanges(keysOf(layers, prefix), prefix, [batch, own]),
      };
    },
    effectiveChanges(layers, changes) {
      const effective = new Map<string, string | null>();
      for (const [key, text] of changes) if ((textOf(layers, key) ?? null) !== text) effective.set(key, text);
      return effective;
    },
    loaded() {
      generation++;
    },
    clear() {
      plain.clear();
    },
  };
}
