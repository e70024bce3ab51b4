import { readFileSync, statSync } from 'node:fs';
import { SecretrunError, isSecretrunError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { openFileStore } from '../store/file-store.js';
import { writeMergedAccess } from '../store/recipient-change.js';
import { buildFingerprint, parsePublicKey } from '../store/recipients/identity.js';
import { resolveStoreKey } from '../store/recipients/recipient-key.js';
import type { RecipientEntry } from '../store/recipients/recipient-entry.js';
import type { KeyOptions } from '../store/root-key.js';
import { parseStoreBytes } from '../store/store-format.js';
import type { StoreHeader } from '../store/store-format.js';
import { loadSnapshot, readStoreFile } from '../store/store-snapshot.js';
import { mergeAccess } from './recipient-merge.js';
import type { AccessSide } from './recipient-merge.js';
import type { MergeConflict } from './store-merge.js';
import { jsonEqual } from './json-equal.js';
import type { StoreAccessSummary, StoreListingInput } from './store-listing.js';

// How the merge and diff drivers reach store files: the one place they open, read and write
// stores, behind a small interface so that the drivers' logic stays pure. This implementation
// goes through the Store contract (openFileStore): the merged store keeps ours' keyring and
// MAC key, and every entry is sealed as any write seals it. For recipient stores, who can open
// the store is merged first (recipient-merge.ts), which may give the merged store a new root key.

// A store's decrypted contents, with its header and root key (a merge needs them to merge who
// can open the store).
export interface OpenedStore {
  id: string;
  contents: Map<string, JsonValue>;
  header?: StoreHeader;
  rootKey?: Buffer;
}

// The other two versions of a merge, as readContents returned them.
export interface MergeSides {
  base: OpenedStore | undefined;
  theirs: OpenedStore;
}

// What the drivers need of stores.
export interface StoreAccess {
  /** The decrypted contents of a store file; undefined for an empty file (no merge base). */
  readContents(path: string): Promise<OpenedStore | undefined>;
  /**
   * Makes the store at `path` hold `contents`: entries whose value is unchanged keep their line
   * byte for byte, changed ones are sealed afresh, and the MAC is computed again.
   */
  /**
   * With `sides` (a merge, `path` being ours), the recipients are merged too (recipient-merge.ts),
   * before the contents are written, so values from theirs are sealed under a new root key's
   * term when the merge makes one. Returns what of the recipients could not be merged.
   */
  writeContents(path: string, contents: ReadonlyMap<string, JsonValue>, sides?: MergeSides): Promise<MergeConflict[]>;
  /** What the git diff listing of the store at `path` is built from. */
  readListing(path: string, now: number): Promise<StoreListingInput>;
}

function accessOf(header: StoreHeader): { access: StoreAccessSummary; keyTerm: number; keyCheck: string } {
  const recipients = header.recipients?.map((r) => {
    const key = parsePublicKey(r.public_key);
    return { name: r.name, fp: key.ok ? buildFingerprint(key.key) : '?', added_by: r.added_by, added_at: r.added_at };
  });
  const access: StoreAccessSummary =
    recipients === undefined ? { kind: 'shared-key', passphrase: header.kdf !== null } : { kind: 'recipients', recipients, sharedKey: header.sharedKey === true };
  return { access, keyTerm: header.keyring.active, keyCheck: header.check };
}

// The access side of one version: a store without recipients has none, and its shared key.
function sideOf(opened: OpenedStore): AccessSide {
  const header = opened.header as StoreHeader;
  return { recipients: header.recipients ?? [], sharedKey: header.recipients === undefined || header.sharedKey === true, check: header.check, lineage: header.lineage ?? [] };
}

const sameRecipients = (a: readonly RecipientEntry[], b: readonly RecipientEntry[]): boolean => JSON.stringify(a) === JSON.stringify(b);

// The verified header and root key of a store file.
async function readKeys(path: string, keys: KeyOptions): Promise<{ header: StoreHeader; rootKey: Buffer }> {
  const file = await readStoreFile(path);
  if (file === undefined) throw new SecretrunError('store_missing', `no store at ${path}`);
  const snapshot = await loadSnapshot(path, file.bytes, (header) => resolveStoreKey(keys, header, path));
  return { header: snapshot.header, rootKey: snapshot.rootKey.key };
}

// Store access over files, finding keys as every command does (SECRETRUN_KEY, key files, a
// passphrase from SECRETRUN_PASSPHRASE).
export function createFileStoreAccess(keys: KeyOptions): StoreAccess {
  // Every key is kept in the file git handed over (no runtime prefixes): the drivers merge and
  // list committed files, and a state file beside git's temp copies is neither read nor made.
  const open = async (path: string, options: Partial<KeyOptions> = {}) => {
    const store = await openFileStore({ ...keys, ...options, path, runtimePrefixes: [] });
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
        return { id: store.id as string, contents, ...(await readKeys(path, keys)) };
      } finally {
        await store.close();
      }
    },
    async writeContents(path, contents, sides) {
      let conflicts: MergeConflict[] = [];
      if (sides !== undefined) {
        const ours = await readKeys(path, keys);
        const oursSide = sideOf({ id: ours.header.id, contents: new Map(), ...ours });
        const merged = mergeAccess(sides.base === undefined ? undefined : sideOf(sides.base), oursSide, sideOf(sides.theirs));
        conflicts = merged.conflicts;
        const changed = merged.rekey || merged.sharedKey !== oursSide.sharedKey || !sameRecipients(merged.recipients, oursSide.recipients);
        if (merged.recipients.length > 0 && changed) {
          const otherRootKeys = sides.theirs.rootKey === undefined ? [] : [sides.theirs.rootKey];
          await writeMergedAccess({ ...keys, path, runtimePrefixes: [], access: { ...merged, otherRootKeys } });
        }
      }
      const store = await open(path);
      try {
        await store.update((storage) => {
          for (const key of storage.list('')) if (!contents.has(key)) storage.delete(key);
          for (const [key, value] of contents) if (!jsonEqual(storage.get(key), value)) storage.put(key, value);
        });
      } finally {
        await store.close();
      }
      return conflicts;
    },
    async readListing(path, now) {
      // The listing shows no value, and git shows old versions too: no continuity check.
      const store = await open(path, { checkContinuity: false });
      try {
        // Only the mounts table and KV v2 metadata are decrypted: the listing shows no value.
        const { keys, values } = await store.read((storage) => {
          const all = storage.list('');
          const listed = all.filter((key) => key === 'sys/mounts' || /^kv\/[^/]+\/meta\//.test(key));
          return { keys: all, values: new Map(listed.map((key) => [key, storage.get(key)])) };
        });
        return { id: store.id as string, ...accessOf(parseStoreBytes(readFileSync(path), path).header), keys, read: (key) => values.get(key), now };
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
