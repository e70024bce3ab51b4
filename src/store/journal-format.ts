import { createHmac, timingSafeEqual } from 'node:crypto';
import { SecretrunError } from '../errors.js';
import { integrityError } from './store-format.js';

// The journal's text format (documented in docs/store-format.md). A long-lived writer (the
// server) appends one line per group-commit pass instead of rewriting the store file; a
// checkpoint later folds the lines into the store and state files. Line 1, the header, binds
// the journal to its store and to the exact store and state files it applies on top of:
//   {"secretrun_journal":1,"id":<store id>,"store":<store file MAC>,"state":<state file MAC or null>,"mac":…}
// Then one line per record, numbered from 1:
//   {"seq":n,"set":[[<storage key>,<envelope or null>],…],"mac":…}            changes (null deletes)
//   {"seq":n,"checkpoint":{"upto":u,"store":<MAC>,"state":<MAC or null>},"mac":…}
// A checkpoint record says that records 1..u are in the store and state files with those MACs
// (written just before they are renamed into place), so a reader finds where to resume
// whichever file it sees. Each `mac` is HMAC-SHA-256 with the journal MAC key over the MAC of
// the line before it, "\n", and the line without its mac field: a line edited, dropped,
// reordered or moved from another journal fails it. A last line that is cut short or fails
// (a crash mid-append, never acknowledged) is discarded; a bad line before the last is an
// integrity error. Envelopes are the store's (AAD = store id + key). Pure.

export const journalFormatVersion = 1;

// What the header binds the journal to.
export interface JournalHeader {
  id: string;
  /** The MAC of the store file the records apply on top of. */
  store: string;
  /** The MAC of the state file they apply on top of; null when there was none. */
  state: string | null;
}

// One record: changed entries, or a checkpoint.
export type JournalEntry =
  | { seq: number; kind: 'set'; set: ReadonlyArray<readonly [string, string | null]> }
  | { seq: number; kind: 'checkpoint'; upto: number; store: string; state: string | null };

// A verified journal.
export interface ParsedJournal {
  header: JournalHeader;
  entries: JournalEntry[];
  /** The MAC of the last good line, which the next line chains from. */
  lastMac: string;
  /** The seq of the last good record (0 when there is none). */
  lastSeq: number;
  /** Bytes up to and including the last good line; more bytes are a torn tail. */
  validLength: number;
}

// Every line ends in `,"mac":"<44 characters of base64>"}`.
const macPrefix = ',"mac":"';
const macSuffixLength = macPrefix.length + 44 + 2;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMac = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9+/=]{44}$/.test(v);

function computeMac(macKey: Buffer, prevMac: string, body: string): Buffer {
  return createHmac('sha256', macKey).update(prevMac).update('\n').update(body).digest();
}

function sign(body: string, mac: string): string {
  return `${body.slice(0, -1)},"mac":"${mac}"}\n`;
}

// The header line (with its "\n") and its MAC.
export function renderJournalHeader(header: JournalHeader, macKey: Buffer): { line: string; mac: string } {
  const body = JSON.stringify({ secretrun_journal: journalFormatVersion, id: header.id, store: header.store, state: header.state });
  const mac = computeMac(macKey, '', body).toString('base64');
  return { line: sign(body, mac), mac };
}

// One record line (with its "\n") chained from `prevMac`, and its MAC.
export function renderJournalEntry(entry: JournalEntry, prevMac: string, macKey: Buffer): { line: string; mac: string } {
  const body =
    entry.kind === 'set'
      ? JSON.stringify({ seq: entry.seq, set: entry.set })
      : JSON.stringify({ seq: entry.seq, checkpoint: { upto: entry.upto, store: entry.store, state: entry.state } });
  const mac = computeMac(macKey, prevMac, body).toString('base64');
  return { line: sign(body, mac), mac };
}

// A line's body and MAC when its MAC holds, chained from `prevMac`; else undefined.
function checkLine(line: string, prevMac: string, macKey: Buffer): { value: Record<string, unknown>; mac: string } | undefined {
  const at = line.length - macSuffixLength;
  if (at < 1 || !line.startsWith(macPrefix, at) || !line.endsWith('"}')) return undefined;
  const mac = line.slice(at + macPrefix.length, -2);
  if (!isMac(mac)) return undefined;
  const body = `${line.slice(0, at)}}`;
  const actual = Buffer.from(mac, 'base64');
  const expected = computeMac(macKey, prevMac, body);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? { value, mac } : undefined;
  } catch {
    return undefined;
  }
}

function parseEntry(value: Record<string, unknown>, seq: number): JournalEntry | undefined {
  if (value['seq'] !== seq) return undefined;
  const { set, checkpoint } = value;
  if (Array.isArray(set)) {
    const pairs = set.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && (typeof pair[1] === 'string' || pair[1] === null));
    return pairs ? { seq, kind: 'set', set: set as Array<[string, string | null]> } : undefined;
  }
  if (isRecord(checkpoint) && Number.isSafeInteger(checkpoint['upto']) && isMac(checkpoint['store']) && (checkpoint['state'] === null || isMac(checkpoint['state']))) {
    return { seq, kind: 'checkpoint', upto: checkpoint['upto'] as number, store: checkpoint['store'] as string, state: checkpoint['state'] as string | null };
  }
  return undefined;
}

// Parses and verifies a journal's bytes. Throws store_integrity for a bad header or a bad line
// before the last; a bad last line is left out (validLength ends before it).
export function parseJournal(bytes: Buffer, macKey: Buffer, path: string): ParsedJournal {
  const headerEnd = bytes.indexOf(0x0a);
  const headerLine = bytes.toString('utf8', 0, headerEnd === -1 ? bytes.length : headerEnd);
  let parsed: unknown;
  try {
    parsed = JSON.parse(headerLine);
  } catch {
    throw integrityError(path, headerEnd === -1 ? 'the journal header is cut short' : 'its first line is not a journal header');
  }
  const version = isRecord(parsed) ? parsed['secretrun_journal'] : undefined;
  if (version !== journalFormatVersion) {
    if (typeof version === 'number') throw new SecretrunError('store_format', `journal ${path} has format version ${version}; this secretrun reads version ${journalFormatVersion} (upgrade secretrun)`);
    throw integrityError(path, 'its first line is not a journal header');
  }
  const header = checkLine(headerLine, '', macKey);
  const { id, store, state } = header?.value ?? {};
  if (header === undefined || typeof id !== 'string' || !isMac(store) || !(state === null || isMac(state))) {
    throw integrityError(path, 'its header does not verify (a journal of another store, or written under another key)');
  }
  const entries: JournalEntry[] = [];
  let lastMac = header.mac;
  let validLength = headerEnd + 1;
  for (let start = validLength; start < bytes.length; ) {
    const end = bytes.indexOf(0x0a, start);
    const checked = end === -1 ? undefined : checkLine(bytes.toString('utf8', start, end), lastMac, macKey);
    const entry = checked === undefined ? undefined : parseEntry(checked.value, entries.length + 1);
    if (entry === undefined || checked === undefined) {
      // The last line alone may be torn by a crash mid-append; it was never acknowledged.
      if (end === -1 || end === bytes.length - 1) break;
      throw integrityError(path, `the journal line at byte ${start} does not verify (edited, reordered or from another journal)`);
    }
    entries.push(entry);
    lastMac = checked.mac;
    validLength = end + 1;
    start = end + 1;
  }
  return { header: { id, store, state }, entries, lastMac, lastSeq: entries.length, validLength };
}

// The seq after which the journal's records still apply to the store or state file whose MAC
// is `mac` (0: all of them): the header's base, or the latest checkpoint into that file.
// Undefined when the journal does not apply to it.
export function findJournalPosition(journal: ParsedJournal, file: 'store' | 'state', mac: string | null): number | undefined {
  let found = journal.header[file] === mac ? 0 : undefined;
  for (const entry of journal.entries) if (entry.kind === 'checkpoint' && entry[file] === mac) found = entry.upto;
  return found;
}

// The changes a journal makes on top of its files: key → last envelope (null: deleted) and the
// seq of the record that set it, skipping records already in each file (`from`).
export function replayJournal(
  journal: ParsedJournal,
  from: { store: number; state: number },
  isRuntime: (key: string) => boolean,
): Map<string, { envelope: string | null; seq: number }> {
  const changes = new Map<string, { envelope: string | null; seq: number }>();
  for (const entry of journal.entries) {
    if (entry.kind !== 'set') continue;
    for (const [key, envelope] of entry.set) {
      if (entry.seq > (isRuntime(key) ? from.state : from.store)) changes.set(key, { envelope, seq: entry.seq });
    }
  }
  return changes;
}
