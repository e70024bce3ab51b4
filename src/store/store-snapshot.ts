import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SecretrunError } from '../errors.js';
import { createRandomPool } from '../random-pool.js';
import { formatSize, readOpenFileBounded } from '../fs/bounded-read.js';
import { describeFsError, renderFsFailure } from '../fs/fs-error.js';
import { openEnvelope, readEnvelopeTerm, sealEnvelope } from './envelope.js';
import { buildSignature } from './file-signature.js';
import type { FileSignature } from './file-signature.js';
import { buildKeyCheck, deriveMacKey } from './key-derivation.js';
import { createEntryIndex } from './entry-index.js';
import type { EntryIndex } from './entry-index.js';
import { unwrapKeyring } from './keyring.js';
import type { DataKeys } from './keyring.js';
import type { RootKey } from './root-key.js';
import { parseStoreBytes, readEntryEnvelope, readHeaderMac, renderEntryLine, verifyStoreMac } from './store-format.js';
import { compareGoStrings } from '../go/string-order.js';
import type { StoreHeader } from './store-format.js';

// One verified, loaded state of a store file: header, an index over the raw entry lines,
// unwrapped data keys. Entries stay undecoded until a lookup touches them and encrypted until
// `decryptEntry` asks for one.

// The raw bytes of a store file with the signature of exactly those bytes.
export interface StoreFile {
  bytes: Buffer;
  signature: FileSignature;
}

// A loaded, verified store.
export interface StoreSnapshot {
  readonly path: string;
  readonly header: StoreHeader;
  /** The header line with its "\n", as in the file: it ends in the MAC over everything. */
  readonly headerBytes: Buffer;
  /** The MAC ending the header (a journal names the file it applies to by it). */
  readonly mac: string;
  /** The entry lines, sorted by storage key. */
  readonly entries: EntryIndex;
  readonly rootKey: RootKey;
  readonly dataKeys: DataKeys;
}

// Finds the root key for a parsed header (see root-key.ts); called once per load.
export type RootKeyResolver = (header: StoreHeader) => Promise<RootKey>;

// The largest store file read or written. The whole file is held in memory and MAC'd on every
// load, and it is meant to be committed: GitHub refuses files over 100 MiB. A store of 10,000
// secrets is about 7 MiB, so this leaves room for some 350,000 while a hostile --store (a
// device, a huge file) is refused before any byte is read.
export const maxStoreBytes = 256 * 1024 * 1024;

// The store_io error for a file past `limit`; `verb` says whether it is read or written.
export function storeTooLargeError(path: string, verb: 'read' | 'write', limit = maxStoreBytes): SecretrunError {
  const [what, fix] = verb === 'read' ? ['is', 'check --store or SECRETRUN_STORE'] : ['would be', 'delete old versions or secrets, or split the store'];
  return new SecretrunError('store_io', `cannot ${verb} store ${path}: it ${what} larger than ${formatSize(limit)}, the most secretrun handles (${fix})`);
}

// Reads the store file, or undefined when there is none (absence is a value).
export async function readStoreFile(path: string, limit = maxStoreBytes): Promise<StoreFile | undefined> {
  return readStoreFileSync(path, limit);
}

// readStoreFile for a caller that cannot await (a state file read on first use inside a read).
export function readStoreFileSync(path: string, limit = maxStoreBytes): StoreFile | undefined {
  // Synchronous on purpose: this is on every command's start-up path, where four thread-pool
  // round trips (open, fstat, read, close) cost more than the read itself; a server only
  // re-reads when another process changed the file.
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw ioError(path, 'read', error);
  }
  try {
    // fstat on the open descriptor: the signature belongs to the bytes we read, even if a
    // writer renames a new file into place meanwhile.
    const info = fstatSync(fd, { bigint: true });
    // A store is always a regular file (writers rename over it); a device or FIFO never ends.
    if (!info.isFile()) throw new SecretrunError('store_io', `cannot read store ${path}: it is not a regular file (check --store or SECRETRUN_STORE)`);
    if (info.size > limit) throw storeTooLargeError(path, 'read', limit);
    const bytes = readOpenFileBounded(fd, path, limit, Number(info.size));
    return { bytes, signature: buildSignature(info) };
  } catch (error) {
    if (error instanceof SecretrunError) throw error;
    throw ioError(path, 'read', error);
  } finally {
    closeSync(fd);
  }
}

// The first `length` bytes of the store file (fewer if it is shorter) and the signature of
// the file they come from, or undefined when there is no file. Synchronous: it runs on the
// server's read path, where a thread-pool round trip costs more than the read.
export function readStoreHead(path: string, length: number): { head: Buffer; signature: FileSignature } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(path, 'read', error);
  }
  try {
    const signature = buildSignature(fstatSync(fd, { bigint: true }));
    const head = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, head, read, length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { head: head.subarray(0, read), signature };
  } catch (error) {
    throw ioError(path, 'read', error);
  } finally {
    closeSync(fd);
  }
}

// A store_io error naming the file, the system error and what to do about it.
export function ioError(path: string, verb: 'read' | 'write', error: unknown): SecretrunError {
  return new SecretrunError('store_io', `cannot ${verb} store ${path}: ${renderFsFailure(describeFsError(error))}`, { cause: error });
}

// The wrong-key error, saying where the rejected key came from.
export function wrongKeyError(path: string, source: string, passphrase: boolean): SecretrunError {
  const fix = passphrase ? 'SECRETRUN_KEY, SECRETRUN_KEY_FILE or SECRETRUN_PASSPHRASE' : 'SECRETRUN_KEY or SECRETRUN_KEY_FILE';
  return new SecretrunError(
    'store_key',
    `cannot decrypt ${path}: wrong key from ${source} (set ${fix} to the key this store was created with)`,
  );
}

// Parses and verifies a store file: version, key check, MAC, keyring. Entries are not
// touched here; the MAC vouches for all of them at once (see entry-index.ts).
export async function loadSnapshot(path: string, bytes: Buffer, resolveKey: RootKeyResolver): Promise<StoreSnapshot> {
  const parsed = parseStoreBytes(bytes, path);
  const rootKey = await resolveKey(parsed.header);
  if (buildKeyCheck(rootKey.key) !== parsed.header.check) throw wrongKeyError(path, rootKey.source, parsed.header.kdf !== null);
  verifyStoreMac(parsed, bytes, deriveMacKey(rootKey.key), path);
  const dataKeys = unwrapKeyring(parsed.header.keyring, rootKey.key, parsed.header.id);
  if (dataKeys === undefined) {
    throw new SecretrunError('store_integrity', `store ${path} failed its integrity check: its keyring does not unwrap (restore it from version control or a backup)`);
  }
  const { entriesStart } = parsed;
  return { path, header: parsed.header, headerBytes: bytes.subarray(0, entriesStart), mac: parsed.mac, entries: createEntryIndex(bytes, entriesStart, path), rootKey, dataKeys };
}

// The keys that open and seal a store's entries, wherever the entry is kept (the store file,
// its state file or its journal): AAD is the store id and the storage key.
export interface EntryKeys {
  readonly header: StoreHeader;
  readonly dataKeys: DataKeys;
}

// Decrypts one envelope to its plaintext JSON; `path` names the file it came from in errors.
export function openEntry(keys: EntryKeys, path: string, storageKey: string, envelope: string): string {
  const term = readEnvelopeTerm(envelope);
  const dataKey = term === undefined ? undefined : keys.dataKeys.get(term);
  const plaintext = dataKey === undefined ? undefined : openEnvelope({ dataKey, storeId: keys.header.id, storageKey, envelope });
  if (plaintext === undefined) {
    throw new SecretrunError(
      'store_integrity',
      `store ${path} failed its integrity check: entry ${JSON.stringify(storageKey)} does not decrypt (restore it from version control or a backup)`,
    );
  }
  return plaintext;
}

// Decrypts one entry line of the snapshot's file to its plaintext JSON.
export function decryptEntry(snapshot: StoreSnapshot, storageKey: string, line: string): string {
  return openEntry(snapshot, snapshot.path, storageKey, readEntryEnvelope(line));
}

// A GCM nonce must never repeat under one key: each is 12 fresh bytes of the CSPRNG.
const nonces = createRandomPool();

// Seals one entry's plaintext JSON under the active term with a fresh nonce.
export function sealEntry(keys: EntryKeys, storageKey: string, plaintext: string): string {
  const term = keys.header.keyring.active;
  const dataKey = keys.dataKeys.get(term);
  if (dataKey === undefined) throw new SecretrunError('internal', `active key term ${term} is missing`);
  return sealEnvelope({ dataKey, term, nonce: nonces(12), storeId: keys.header.id, storageKey, plaintext });
}

// Lets other work run (a background checkpoint yields to requests between slices of its work).
export type Pause = () => Promise<void>;

// How many changed keys a splice handles between two pauses (about 1 ms).
const keysPerSlice = 128;

// The entry lines of a file with `envelopes` applied (key → envelope, or null to delete), as
// byte chunks of whole lines in key order: unchanged entries keep their line byte for byte
// (copied as bytes, never decoded). With `pause`, it pauses every few keys.
export async function spliceEntries(base: EntryIndex | undefined, envelopes: ReadonlyMap<string, string | null>, pause?: Pause): Promise<Buffer[]> {
  const keys = [...envelopes.keys()].sort(compareGoStrings);
  const lineOf = (key: string): string | null => {
    const envelope = envelopes.get(key);
    return envelope === null || envelope === undefined ? null : renderEntryLine(key, envelope);
  };
  if (base === undefined) return keys.map(lineOf).filter((line) => line !== null).map((line) => Buffer.from(`${line}\n`, 'utf8'));
  const splicer = base.splicer();
  for (let i = 0; i < keys.length; i++) {
    if (pause !== undefined && i > 0 && i % keysPerSlice === 0) await pause();
    const key = keys[i] as string;
    splicer.put(key, lineOf(key));
  }
  return splicer.finish();
}

// The snapshot of a file this process just wrote: it holds the keys already, and the bytes
// never left memory, so they are not parsed or verified again. `bytes` is the whole file, or
// a function making it, called when an entry is first looked up (a CLI write never does).
export function adoptRenderedStore(path: string, bytes: Buffer | (() => Buffer), headerBytes: Buffer, header: StoreHeader, rootKey: RootKey, dataKeys: DataKeys): StoreSnapshot {
  return { path, header, headerBytes, mac: readHeaderMac(headerBytes), entries: lazyEntryIndex(bytes, headerBytes.length, path), rootKey, dataKeys };
}

// An index over a file's entry lines, made when first used.
export function lazyEntryIndex(bytes: Buffer | (() => Buffer), start: number, path: string): EntryIndex {
  if (Buffer.isBuffer(bytes)) return createEntryIndex(bytes, start, path);
  let index: EntryIndex | undefined;
  const made = (): EntryIndex => (index ??= createEntryIndex(bytes(), start, path));
  return {
    lineOf: (key) => made().lineOf(key),
    keysWithPrefix: (prefix) => made().keysWithPrefix(prefix),
    spliceLines: (lines) => made().spliceLines(lines),
    splicer: () => made().splicer(),
  };
}
