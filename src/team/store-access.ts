import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { SecretrunError, isSecretrunError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { openFileStore } from '../store/file-store.js';
import type { KeyOptions } from '../store/root-key.js';
import { jsonEqual } from './json-equal.js';
import type { StoreAccessSummary, StoreListingInput } from './store-listing.js';

// How the merge and diff drivers reach store files: the one place they open, read and write
// stores, behind a small interface so that the drivers' logic stays pure. This implementation
// goes through the Store contract (openFileStore) of today's single-root-key stores: the
// merged store keeps ours' header (its keyring and MAC key), and every entry is sealed as any
// write seals it. For recipient stores (issue 14) the header itself is merged too: see
// docs/recipients-integration.md; only this module changes.

// A store's decrypted contents.
export interface OpenedStore {
  id: string;
  contents: Map<string, JsonValue>;
}

// What the drivers need of stores.
export interface StoreAccess {
  /** The decrypted contents of a store file; undefined for an empty file (no merge base). */
  readContents(path: string): Promise<OpenedStore | undefined>;
  /**
   * Makes the store at `path` hold `contents`: entries whose value is unchanged keep their line
   * byte for byte, changed ones are sealed afresh, and the MAC is computed again.
   */
  writeContents(path: string, contents: ReadonlyMap<string, JsonValue>): Promise<void>;
  /** What the git diff listing of the store at `path` is built from. */
  readListing(path: string, now: number): Promise<StoreListingInput>;
}

// The first line of a file (the header), parsed; undefined when it is not JSON.
function readHeader(path: string): Record<string, unknown> | undefined {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.toString('utf8', 0, length);
    const end = text.indexOf('\n');
    const parsed: unknown = JSON.parse(end === -1 ? text : text.slice(0, end));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function accessOf(header: Record<string, unknown> | undefined): { access: StoreAccessSummary; keyTerm?: number; keyCheck?: string } {
  const keyring = header?.['keyring'];
  const active = typeof keyring === 'object' && keyring !== null ? (keyring as Record<string, unknown>)['active'] : undefined;
  const check = header?.['check'];
  const access: StoreAccessSummary = { kind: 'shared-key', passphrase: typeof header?.['kdf'] === 'object' && header['kdf'] !== null };
  return { access, ...(typeof active === 'number' ? { keyTerm: active } : {}), ...(typeof check === 'string' ? { keyCheck: check } : {}) };
}

// Store access over files, finding keys as every command does (SECRETRUN_KEY, key files, a
// passphrase from SECRETRUN_PASSPHRASE).
export function createFileStoreAccess(keys: KeyOptions): StoreAccess {
  // Every key is kept in the file git handed over (no runtime prefixes): the drivers merge and
  // list committed files, and a state file beside git's temp copies is neither read nor made.
  const open = async (path: string) => {
    const store = await openFileStore({ ...keys, path, runtimePrefixes: [] });
    if (store.id === undefined) {
      await store.close();
      throw new SecretrunError('store_missing', `no store at ${path}`);
    }
    return store;
  };
  return {
    async readContents(path) {
      if (statSync(path, { throwIfNoEntry: false })?.size === 0) return undefined;
      const store = await open(path);
      try {
        const contents = await store.read((storage) => new Map(storage.list('').map((key) => [key, storage.get(key) as JsonValue])));
        return { id: store.id as string, contents };
      } finally {
        await store.close();
      }
    },
    async writeContents(path, contents) {
      const store = await open(path);
      try {
        await store.update((storage) => {
          for (const key of storage.list('')) if (!contents.has(key)) storage.delete(key);
          for (const [key, value] of contents) if (!jsonEqual(storage.get(key), value)) storage.put(key, value);
        });
      } finally {
        await store.close();
      }
    },
    async readListing(path, now) {
      const store = await open(path);
      try {
        // Only the mounts table and KV v2 metadata are decrypted: the listing shows no value.
        const { keys, values } = await store.read((storage) => {
          const all = storage.list('');
          const listed = all.filter((key) => key === 'sys/mounts' || /^kv\/[^/]+\/meta\//.test(key));
          return { keys: all, values: new Map(listed.map((key) => [key, storage.get(key)])) };
        });
        return { id: store.id as string, ...accessOf(readHeader(path)), keys, read: (key) => values.get(key), now };
      } finally {
        await store.close();
      }
    },
  };
}

// Says which of the three versions a failure concerns ("ours (the version being merged into)").
export function explainStoreFailure(error: unknown, which: string): unknown {
  if (!isSecretrunError(error)) return error;
  return new SecretrunError(error.code, `cannot merge: ${which}: ${error.message}`, error.hint === undefined ? {} : { hint: error.hint });
}
