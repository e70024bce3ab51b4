import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { SecretrunError } from '../errors.js';
import { openEnvelope, readEnvelopeTerm, sealEnvelope } from './envelope.js';
import { buildKeyCheck, deriveMacKey } from './key-derivation.js';
import { unwrapKeyring } from './keyring.js';
import type { DataKeys } from './keyring.js';
import type { RootKey } from './root-key.js';
import {
  compareKeys,
  parseStoreText,
  readEntryEnvelope,
  renderEntryLine,
  renderStoreText,
  scanEntries,
  verifyStoreMac,
} from './store-format.js';
import type { StoreHeader } from './store-format.js';

// One verified, loaded state of a store file: header, raw entry lines by key, unwrapped data
// keys. Entries stay encrypted until `decryptEntry` asks for one.

// Identity of the file's bytes on disk: a rename always changes the inode.
export type FileSignature = string;

// The raw text of a store file with the signature of exactly those bytes.
export interface StoreFile {
  text: string;
  signature: FileSignature;
}

// A loaded, verified store.
export interface StoreSnapshot {
  readonly path: string;
  readonly header: StoreHeader;
  /** Storage keys in byte order. */
  readonly keys: readonly string[];
  /** Storage key → raw entry line. */
  readonly lines: ReadonlyMap<string, string>;
  readonly rootKey: RootKey;
  readonly dataKeys: DataKeys;
}

// Finds the root key for a parsed header (see root-key.ts); called once per load.
export type RootKeyResolver = (header: StoreHeader) => Promise<RootKey>;

// Reads the store file, or undefined when there is none (absence is a value).
export async function readStoreFile(path: string): Promise<StoreFile | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw ioError(path, 'read', error);
  }
  try {
    // fstat on the open handle: the signature belongs to the bytes we read, even if a writer
    // renames a new file into place meanwhile.
    const info = await handle.stat({ bigint: true });
    const text = await handle.readFile('utf8');
    return { text, signature: `${info.ino}:${info.size}:${info.mtimeNs}` };
  } catch (error) {
    throw ioError(path, 'read', error);
  } finally {
    await handle.close();
  }
}

// A store_io error naming the file and the system error code.
export function ioError(path: string, verb: 'read' | 'write', error: unknown): SecretrunError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new SecretrunError('store_io', `cannot ${verb} store ${path}: ${code} (check the file and its directory permissions)`, {
    cause: error,
  });
}

// The wrong-key error, saying where the rejected key came from.
export function wrongKeyError(path: string, source: string, passphrase: boolean): SecretrunError {
  const fix = passphrase ? 'SECRETRUN_KEY, SECRETRUN_KEY_FILE or SECRETRUN_PASSPHRASE' : 'SECRETRUN_KEY or SECRETRUN_KEY_FILE';
  return new SecretrunError(
    'store_key',
    `cannot decrypt ${path}: wrong key from ${source} (set ${fix} to the key this store was created with)`,
  );
}

// Parses and verifies store text: version, key check, MAC, keyring, entry order.
export async function loadSnapshot(path: string, text: string, resolveKey: RootKeyResolver): Promise<StoreSnapshot> {
  const parsed = parseStoreText(text, path);
  const rootKey = await resolveKey(parsed.header);
  if (buildKeyCheck(rootKey.key) !== parsed.header.check) throw wrongKeyError(path, rootKey.source, parsed.header.kdf !== null);
  verifyStoreMac(parsed, deriveMacKey(rootKey.key), path);
  const dataKeys = unwrapKeyring(parsed.header.keyring, rootKey.key, parsed.header.id);
  if (dataKeys === undefined) {
    throw new SecretrunError('store_integrity', `store ${path} failed its integrity check: its keyring does not unwrap (restore it from version control or a backup)`);
  }
  const { keys, lines } = scanEntries(parsed.entriesText, path);
  const byKey = new Map<string, string>();
  for (let i = 0; i < keys.length; i++) byKey.set(keys[i] as string, lines[i] as string);
  return { path, header: parsed.header, keys, lines: byKey, rootKey, dataKeys };
}

// Decrypts one entry line to its plaintext JSON.
export function decryptEntry(snapshot: StoreSnapshot, storageKey: string, line: string): string {
  const envelope = readEntryEnvelope(line);
  const term = readEnvelopeTerm(envelope);
  const dataKey = term === undefined ? undefined : snapshot.dataKeys.get(term);
  const plaintext =
    dataKey === undefined ? undefined : openEnvelope({ dataKey, storeId: snapshot.header.id, storageKey, envelope });
  if (plaintext === undefined) {
    throw new SecretrunError(
      'store_integrity',
      `store ${snapshot.path} failed its integrity check: entry ${JSON.stringify(storageKey)} does not decrypt (restore it from version control or a backup)`,
    );
  }
  return plaintext;
}

// Store text for `header` with the snapshot's entries changed by `changes` (key → plaintext
// JSON, or null to delete). Unchanged entries keep their line byte for byte; changed ones are
// sealed under the active term with fresh nonces.
export function renderChangedStore(
  header: StoreHeader,
  rootKey: Buffer,
  dataKeys: DataKeys,
  base: StoreSnapshot | undefined,
  changes: ReadonlyMap<string, string | null>,
): string {
  const term = header.keyring.active;
  const dataKey = dataKeys.get(term);
  if (dataKey === undefined) throw new SecretrunError('internal', `active key term ${term} is missing`);
  const added = [...changes.keys()].filter((k) => !(base?.lines.has(k) ?? false)).sort(compareKeys);
  const existing = base?.keys ?? [];
  const lines: string[] = [];
  let a = 0;
  let e = 0;
  while (a < added.length || e < existing.length) {
    const next = a < added.length && (e >= existing.length || compareKeys(added[a] as string, existing[e] as string) < 0) ? added[a++] : existing[e++];
    const key = next as string;
    const change = changes.get(key);
    if (change === null) continue;
    if (change === undefined) {
      lines.push(base?.lines.get(key) as string);
      continue;
    }
    const envelope = sealEnvelope({ dataKey, term, nonce: randomBytes(12), storeId: header.id, storageKey: key, plaintext: change });
    lines.push(renderEntryLine(key, envelope));
  }
  return renderStoreText(header, lines, deriveMacKey(rootKey));
}
