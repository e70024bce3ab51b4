import { dirname } from 'node:path';
import { SecretrunError } from '../errors.js';
import { removeStaleTempFiles, writeFileAtomic } from '../fs/atomic-write.js';
import { makePrivateDir } from '../fs/private-file.js';
import { missingSignature } from './file-signature.js';
import { prepareNewStore } from './init-store.js';
import type { StoreCreation } from './init-store.js';
import { createLoadedFile } from './loaded-file.js';
import { acquireStoreLock } from './lock.js';
import { resolveRootKey } from './root-key.js';
import type { KeyOptions, RootKey } from './root-key.js';
import type { JsonValue } from '../json.js';
import { compareGoStrings } from '../go/string-order.js';
import type { Storage, Store } from './storage.js';
import type { StoreHeader } from './store-format.js';
import { writeStoreGitattributes } from './store-gitattributes.js';
import { adoptRenderedStore, decryptEntry, ioError, loadSnapshot, maxStoreBytes, readStoreFile, renderChangedStore, storeTooLargeError } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { closedError, createSerialQueue, readOnlyError, runTransaction } from './transaction.js';

// The durable Store over one encrypted file. Reads are served from the loaded snapshot
// (re-read only when the file changed on disk) and decrypt only the entries asked for.
// Writes lock, re-read if needed, run the transaction on an overlay, and replace the file
// atomically with only the changed entries re-encrypted.

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
}

// A Store over a file, with what the server needs to serve reads from memory.
export interface FileStore extends Store {
  readonly path: string;
  /** The store id, or undefined while the file does not exist. */
  readonly id: string | undefined;
  /** Has the file been replaced, created or removed since it was last loaded? */
  changedOnDisk(): Promise<boolean>;
  /** Loads the file again now. */
  reload(): Promise<void>;
}

// Opens the store at `options.path`, verifying it now so that key and integrity errors
// surface at once. A missing file reads as empty.
export async function openFileStore(options: FileStoreOptions): Promise<FileStore> {
  const { path } = options;
  const maxBytes = options.maxBytes ?? maxStoreBytes;
  let snapshot: StoreSnapshot | undefined;
  const now = options.now ?? Date.now;
  const onDisk = createLoadedFile(path, now);
  let closed = false;
  // Plaintexts already decrypted, with the line they came from and the last load (generation)
  // that line was found in. Within that load a hit needs no lookup (the server's hot path);
  // after a reload the line is looked up once and the plaintext kept only if it did not change.
  // A generation number rather than the snapshot itself, so old file bytes are not kept alive.
  const plain = new Map<string, { line: string; text: string; generation: number }>();
  let generation = 0;

  const resolveKey = async (header: StoreHeader): Promise<RootKey> => {
    const known = snapshot?.header;
    if (known !== undefined && known.id === header.id && known.check === header.check && JSON.stringify(known.kdf) === JSON.stringify(header.kdf)) {
      return snapshot?.rootKey as RootKey;
    }
    return resolveRootKey(options, header.id, header.kdf, path, header.check);
  };

  // Loads the file from disk, or adopts a snapshot of what this store just wrote. Cached
  // plaintexts are not checked here, which would cost a lookup per cached entry on every
  // reload, but when next used (plaintextOf); entries this store just changed go at once.
  const load = async (written?: { snapshot: StoreSnapshot; changed: Iterable<string> }): Promise<void> => {
    const verifiedAt = now();
    const file = written === undefined ? await readStoreFile(path, maxBytes) : undefined;
    const next = written?.snapshot ?? (file === undefined ? undefined : await loadSnapshot(path, file.bytes, resolveKey));
    snapshot = next;
    if (written !== undefined) onDisk.written();
    else onDisk.loaded(file?.signature ?? missingSignature, verifiedAt);
    generation++;
    if (next === undefined) plain.clear();
    for (const key of written?.changed ?? []) plain.delete(key);
  };

  // Every read checks that the file did not change on disk, and every write checks its
  // contents under the lock (`verify`), so no acknowledged write of another process is lost.
  const refresh = async (verify = false): Promise<void> => {
    if (!onDisk.isCurrent(snapshot?.headerBytes, verify)) await load();
  };

  const plaintextOf = (base: StoreSnapshot, key: string): string | undefined => {
    const cached = plain.get(key);
    const current = base === snapshot;
    if (current && cached?.generation === generation) return cached.text;
    const line = base.entries.lineOf(key);
    if (line === undefined) {
      plain.delete(key);
      return undefined;
    }
    if (cached?.line === line) {
      if (current) cached.generation = generation;
      return cached.text;
    }
    const text = decryptEntry(base, key, line);
    options.onDecrypt?.(key);
    if (current) plain.set(key, { line, text, generation });
    return text;
  };

  const view = (base: StoreSnapshot | undefined, overlay: Map<string, string | null> | undefined): Storage => ({
    get(key) {
      const changed = overlay?.get(key);
      const text = changed !== undefined ? changed : base === undefined ? undefined : plaintextOf(base, key);
      return text === undefined || text === null ? undefined : (JSON.parse(text) as JsonValue);
    },
    put(key, value) {
      if (overlay === undefined) throw readOnlyError();
      overlay.set(key, JSON.stringify(value));
    },
    delete(key) {
      if (overlay === undefined) throw readOnlyError();
      overlay.set(key, null);
    },
    list(prefix) {
      const found = new Set(base?.entries.keysWithPrefix(prefix) ?? []);
      for (const [key, text] of overlay ?? []) {
        if (!key.startsWith(prefix)) continue;
        if (text === null) found.delete(key);
        else found.add(key);
      }
      return overlay === undefined || overlay.size === 0 ? [...found] : [...found].sort(compareGoStrings);
    },
  });

  // Drops overlay entries that change nothing, so an idempotent write keeps the file as it is.
  const effectiveChanges = (base: StoreSnapshot | undefined, overlay: Map<string, string | null>): Map<string, string | null> => {
    const changes = new Map<string, string | null>();
    for (const [key, text] of overlay) {
      const exists = base?.entries.lineOf(key) !== undefined;
      if (text === null ? !exists : exists && plaintextOf(base as StoreSnapshot, key) === text) continue;
      changes.set(key, text);
    }
    return changes;
  };

  const assertOpen = (): void => {
    if (closed) throw closedError(`store ${path}`);
  };

  // One write transaction: under the lock, on the newest data, committed atomically.
  const commit = async <T>(fn: (storage: Storage) => T): Promise<T> => {
    assertOpen();
    if (options.create === true) await makePrivateDir(dirname(path)).catch((error: unknown) => {
      throw ioError(path, 'write', error);
    });
    const release = await acquireStoreLock(path, options.lockTimeoutMs);
    try {
      await removeStaleTempFiles(path);
      await refresh(true);
      const overlay = new Map<string, string | null>();
      const result = runTransaction(view(snapshot, overlay), fn);
      const changes = effectiveChanges(snapshot, overlay);
      if (changes.size === 0) return result;
      let target = snapshot === undefined ? undefined : { header: snapshot.header, rootKey: snapshot.rootKey, dataKeys: snapshot.dataKeys };
      let creation: StoreCreation | undefined;
      if (target === undefined) {
        if (options.create !== true) {
          throw new SecretrunError('store_io', `cannot write store ${path}: it does not exist (run \`secretrun init\` to create it)`);
        }
        const fresh = await prepareNewStore(path, options);
        await writeStoreGitattributes(path).catch((error: unknown) => {
          throw ioError(path, 'write', error);
        });
        target = { header: fresh.header, rootKey: { key: fresh.rootKey, source: describeKey(fresh.creation) }, dataKeys: fresh.dataKeys };
        creation = fresh.creation;
      }
      const bytes = renderChangedStore(target.header, target.rootKey.key, target.dataKeys, snapshot, changes);
      if (bytes.length > maxBytes) throw storeTooLargeError(path, 'write', maxBytes);
      await writeFileAtomic(path, bytes).catch((error: unknown) => {
        throw ioError(path, 'write', error);
      });
      const written = adoptRenderedStore(path, bytes, target.header, target.rootKey, target.dataKeys);
      await load({ snapshot: written, changed: changes.keys() });
      if (creation !== undefined) options.onCreated?.(creation);
      return result;
    } finally {
      await release();
    }
  };
  // This process's transactions run one at a time, in call order: they queue here instead
  // of polling the lock file against each other.
  const serially = createSerialQueue();

  await load();

  return {
    path,
    get id() {
      return snapshot?.header.id;
    },
    async read(fn) {
      assertOpen();
      await refresh();
      return runTransaction(view(snapshot, undefined), fn);
    },
    update(fn) {
      return serially(() => commit(fn));
    },
    async changedOnDisk() {
      return !onDisk.isCurrent(snapshot?.headerBytes, false);
    },
    async reload() {
      assertOpen();
      await load();
    },
    async close() {
      closed = true;
      snapshot = undefined;
      plain.clear();
    },
  };
}

function describeKey(creation: StoreCreation): string {
  const { key } = creation;
  if (key.kind === 'file') return `key file ${key.path}`;
  return key.kind === 'env' ? key.name : key.kind === 'option' ? 'the key passed in' : 'the passphrase';
}
