import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Hmac } from 'node:crypto';
import { basename } from 'node:path';
import { SecretrunError } from '../errors.js';
import { conflictMarkersError, findConflictMarkers } from './conflict-markers.js';
import { checkKdfParams } from './key-derivation.js';
import type { KdfParams } from './key-derivation.js';
import type { Keyring } from './keyring.js';
import { parseRecipientFields } from './recipients/recipient-header.js';
import type { RecipientFields } from './recipients/recipient-header.js';
import { localFileKind } from './store-paths.js';

// The store file's text format. Line 1 is the header, ending in the MAC field; every other
// line is `{"k":<storage key>,"v":<envelope>}`, sorted by key in byte order, each ending in
// "\n". The MAC is HMAC-SHA-256 over the header line without its mac field, "\n", and every
// entry line byte for byte, so any edit, deletion, reordering or insertion is detected.
// Reading works on the file's bytes: only the header line is decoded, and the MAC runs over
// the raw entry bytes (a 7 MB store would otherwise be decoded and re-encoded to UTF-8 once
// each); entry-index.ts reads entries lazily from the same bytes.

export const storeFormatVersion = 1;
// A store with recipients (recipients/recipient-header.ts): a secretrun that predates them
// refuses it instead of opening it with the shared key and dropping its recipients on a write.
export const recipientStoreFormatVersion = 2;

// What the header holds besides the version and the MAC. The recipient fields are present
// exactly when the store has recipients (format version 2).
export interface StoreHeader extends Partial<RecipientFields> {
  id: string;
  keyring: Keyring;
  kdf: KdfParams | null;
  /** Fingerprint of the root key (see key-derivation.ts). */
  check: string;
}

// A store file split into its parts; nothing is verified or decrypted yet.
export interface StoreParts {
  header: StoreHeader;
  /** The header line exactly as stored, minus `,"mac":"..."`. */
  headerBody: string;
  mac: string;
  /** Where the entry lines begin in the file's bytes (each ends in "\n"). */
  entriesStart: number;
}

const macSuffix = /,"mac":"([A-Za-z0-9+/=]+)"\}$/;
const storeIdPattern = /^[A-Za-z0-9_-]{8,64}$/;
const entryMiddle = '","v":"';
const newline = 0x0a;

// How to recover each kind of file: the state file and the journal are never committed.
const recovery = {
  store: 'restore it from version control or a backup; it was edited, truncated or corrupted',
  state: 'it is not in version control and holds only runtime state such as tokens: restore it from a backup, or delete it to start that state afresh',
  journal: 'it is not in version control: restore it from a backup, or delete it to drop the writes it holds that are not in the store file yet',
} as const;

// The store_integrity error for a file that fails a check, saying what failed and how to recover.
export function integrityError(path: string, what: string): SecretrunError {
  return new SecretrunError('store_integrity', `store ${path} failed its integrity check: ${what} (${recovery[localFileKind(path) ?? 'store']})`);
}

function notAStore(path: string, what: string): SecretrunError {
  return new SecretrunError('store_format', `${path} is not a secretrun store: ${what} (check --store or SECRETRUN_STORE)`);
}

// The error for a store whose "\n"s became "\r\n" (git's core.autocrlf on Windows, an editor):
// the content is intact, but the MAC covers the original bytes.
function crlfError(path: string): SecretrunError {
  return new SecretrunError(
    'store_format',
    `store ${path} has CRLF (Windows) line endings, which git or an editor added: restore its LF endings, e.g. check it out again after adding "/${basename(path)} -text" to .gitattributes beside it (secretrun init writes that line)`,
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeyring(value: unknown): value is Keyring {
  if (!isRecord(value) || !Number.isInteger(value['active']) || !isRecord(value['terms'])) return false;
  const terms = Object.entries(value['terms']);
  return (
    terms.length > 0 &&
    terms.every(([term, wrapped]) => /^[1-9][0-9]{0,9}$/.test(term) && typeof wrapped === 'string') &&
    String(value['active']) in value['terms']
  );
}

// A header that does not parse may be git's line-by-line merge of two stores: say so, and how
// to finish the merge. Only this failure path pays for the search.
function throwIfConflicted(bytes: Buffer, path: string): void {
  const markers = findConflictMarkers(bytes);
  if (markers !== undefined) throw conflictMarkersError(path, markers);
}

// Splits a store file into header and entries, checking the version and the header's shape.
export function parseStoreBytes(bytes: Buffer, path: string): StoreParts {
  if (bytes.length === 0) throw integrityError(path, 'the file is empty');
  const end = bytes.indexOf(newline);
  const headerLine = bytes.toString('utf8', 0, end === -1 ? bytes.length : end);
  let parsed: unknown;
  try {
    parsed = JSON.parse(headerLine);
  } catch {
    throwIfConflicted(bytes, path);
    if (headerLine.startsWith('{"secretrun_store"')) throw integrityError(path, 'the header line is cut short');
    throw notAStore(path, 'its first line is not a store header');
  }
  if (!isRecord(parsed) || !('secretrun_store' in parsed)) {
    throwIfConflicted(bytes, path);
    throw notAStore(path, 'its first line is not a store header');
  }
  // JSON allows the "\r" a CRLF conversion leaves before each "\n", so the header still parses.
  if (headerLine.endsWith('\r')) throw crlfError(path);
  const version = parsed['secretrun_store'];
  if (version !== storeFormatVersion && version !== recipientStoreFormatVersion) {
    throw new SecretrunError(
      'store_format',
      `store ${path} has format version ${JSON.stringify(version)}; this secretrun reads versions ${storeFormatVersion} and ${recipientStoreFormatVersion} (upgrade secretrun)`,
    );
  }
  if (end === -1 || bytes[bytes.length - 1] !== newline) throw integrityError(path, 'the file is cut short');
  const mac = macSuffix.exec(headerLine);
  const { id, keyring, kdf, check } = parsed;
  if (mac === null || typeof id !== 'string' || !storeIdPattern.test(id) || !checkKeyring(keyring) || typeof check !== 'string') {
    throw integrityError(path, 'the header is malformed');
  }
  // Checked here, before any key is derived: nothing vouches for the header until the MAC does.
  const kdfProblem = kdf === null ? undefined : checkKdfParams(kdf);
  if (kdfProblem !== undefined) throw integrityError(path, kdfProblem);
  const recipients = version === recipientStoreFormatVersion ? parseRecipientFields(parsed) : undefined;
  if (recipients !== undefined && !recipients.ok) throw integrityError(path, recipients.problem);
  if (recipients?.ok === true && kdf !== null && !recipients.fields.sharedKey) throw integrityError(path, 'it has scrypt parameters but no shared key');
  return {
    header: { id, keyring, kdf: kdf as KdfParams | null, check, ...(recipients?.ok === true ? recipients.fields : {}) },
    headerBody: `${headerLine.slice(0, mac.index)}}`,
    mac: mac[1] as string,
    entriesStart: end + 1,
  };
}

// The header line without its MAC, in the field order every writer uses.
export function renderHeaderBody(header: StoreHeader): string {
  const { id, keyring, kdf, check, recipients, sharedKey, lineage } = header;
  if (recipients === undefined) return JSON.stringify({ secretrun_store: storeFormatVersion, id, keyring, kdf, check });
  const tail = { recipients, shared_key: sharedKey === true, ...(lineage === undefined || lineage.length === 0 ? {} : { lineage }) };
  return JSON.stringify({ secretrun_store: recipientStoreFormatVersion, id, keyring, kdf, check, ...tail });
}

// The MAC over a header body and the entry lines, given as byte chunks that together hold
// whole lines, each ending in "\n" (a write splices new lines between runs of the old file).
export function computeStoreMac(macKey: Buffer, headerBody: string, entries: readonly Uint8Array[]): string {
  const hmac = startStoreMac(macKey, headerBody);
  for (const chunk of entries) hmac.update(chunk);
  return hmac.digest('base64');
}

// That MAC before any entry line, for a writer that feeds the lines in as it goes (its
// digest, as base64, is the MAC).
export function startStoreMac(macKey: Buffer, headerBody: string): Hmac {
  return createHmac('sha256', macKey).update(headerBody).update('\n');
}

// Throws store_integrity unless the MAC matches the file's raw bytes (a store or state file).
export function verifyStoreMac(parsed: Pick<StoreParts, 'headerBody' | 'mac' | 'entriesStart'>, bytes: Buffer, macKey: Buffer, path: string): void {
  const expected = Buffer.from(computeStoreMac(macKey, parsed.headerBody, [bytes.subarray(parsed.entriesStart)]), 'base64');
  const actual = Buffer.from(parsed.mac, 'base64');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw integrityError(path, 'the MAC does not match its contents');
  }
}

// The whole file for a header and the sorted entry lines, given as byte chunks of whole lines.
export function renderStoreFile(header: StoreHeader, entries: readonly Uint8Array[], macKey: Buffer): Buffer {
  const headerBody = renderHeaderBody(header);
  return Buffer.concat([renderSignedHeader(headerBody, computeStoreMac(macKey, headerBody, entries)), ...entries]);
}

// The header line (with its "\n") for a header body and the MAC of its file.
export function renderSignedHeader(headerBody: string, mac: string): Buffer {
  return Buffer.from(`${headerBody.slice(0, -1)},"mac":"${mac}"}\n`, 'utf8');
}

// How long that line is, known before the MAC (an HMAC-SHA-256 is always 44 characters of base64).
export function signedHeaderLength(headerBody: string): number {
  return Buffer.byteLength(headerBody, 'utf8') - 1 + ',"mac":"'.length + 44 + '"}\n'.length;
}

// The MAC at the end of a header line (the bytes of the line, with or without its "\n").
export function readHeaderMac(headerBytes: Buffer): string {
  const line = headerBytes.toString('latin1').trimEnd();
  return line.slice(line.lastIndexOf('"mac":"') + 7, -2);
}

// One entry line.
export function renderEntryLine(storageKey: string, envelope: string): string {
  return JSON.stringify({ k: storageKey, v: envelope });
}

// The envelope of an entry line, sliced out without parsing JSON (base64 has no escapes).
export function readEntryEnvelope(line: string): string {
  return line.slice(line.lastIndexOf(entryMiddle) + entryMiddle.length, -2);
}
