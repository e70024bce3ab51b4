import { SecretrunError } from '../errors.js';
import { checkRunningMac, extendRunningMac, finishRunningMac, startRunningMac } from './journal-mac.js';
import type { RunningMac } from './journal-mac.js';
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
// whichever file it sees. Each `mac` is the running MAC of the journal up to that line
// (journal-mac.ts), so a line edited, dropped, reordered or moved from another journal fails
// it. A last line that is cut short or fails (a crash mid-append, never acknowledged) is
// discarded; a bad line before the last is an integrity error. Envelopes are the store's
// (AAD = store id + key). Pure.

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
  /** The running MAC after the last good line, which the next line goes on from. */
  state: RunningMac;
  /** The seq of the last good record (0 when there is none). */
  lastSeq: number;
  /** Bytes up to and including the last good line; more bytes are a torn tail. */
  validLength: number;
}

// Every line ends in `,"mac":"<44 characters of base64>"}`.
const macPrefix = Buffer.from(',"mac":"');
const macSuffixLength = macPrefix.length + 44 + 2;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMac = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9+/=]{44}$/.test(v);

// A line (with its "\n") from its body and its MAC.
function sign(body: string, mac: string): string {
  return `${body.slice(0, -1)},"mac":"${mac}"}\n`;
}

// A rendered line, its MAC, and the running MAC after it.
export interface RenderedLine {
  line: string;
  mac: string;
  state: RunningMac;
}

// The header line for `header`, and the running MAC after it.
export function renderJournalHeader(header: JournalHeader, macKey: Buffer): RenderedLine {
  const body = JSON.stringify({ secretrun_journal: journalFormatVersion, id: header.id, store: header.store, state: header.state });
  const state = extendRunningMac(startRunningMac(macKey), body);
  const mac = finishRunningMac(state);
  return { line: sign(body, mac), mac, state };
}

// One record line following the lines `before` covers.
export function renderJournalEntry(entry: JournalEntry, before: RunningMac): RenderedLine {
  const body =
    entry.kind === 'set'
      ? JSON.stringify({ seq: entry.seq, set: entry.set })
      : JSON.stringify({ seq: entry.seq, checkpoint: { upto: entry.upto, store: entry.store, state: entry.state } });
  const state = extendRunningMac(before, body);
  const mac = finishRunningMac(state);
  return { line: sign(body, mac), mac, state };
}

// Where a line's MAC is, when the line [start, end) ends as every line does; else undefined.
function macOf(bytes: Buffer, start: number, end: number): string | undefined {
  const at = end - macSuffixLength;
  if (at <= start || bytes.compare(macPrefix, 0, macPrefix.length, at, at + macPrefix.length) !== 0 || bytes[end - 2] !== 0x22 || bytes[end - 1] !== 0x7d) return undefined;
  const mac = bytes.toString('latin1', at + macPrefix.length, end - 2);
  return isMac(mac) ? mac : undefined;
}

// Adds the line [start, end) without its mac field to `state`.
function hashLine(state: RunningMac, bytes: Buffer, start: number, end: number): void {
  state.inner.update(bytes.subarray(start, end - macSuffixLength)).update('}\n');
}

function parseEntry(value: unknown, seq: number): JournalEntry | undefined {
  if (!isRecord(value) || value['seq'] !== seq) return undefined;
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

// The header of a journal, checked, and the running MAC after it.
function parseHeader(bytes: Buffer, headerEnd: number, macKey: Buffer, path: string): { header: JournalHeader; state: RunningMac } {
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
  const { id, store, state: stateMac } = parsed as Record<string, unknown>;
  const mac = macOf(bytes, 0, headerEnd);
  const state = startRunningMac(macKey);
  if (mac !== undefined) hashLine(state, bytes, 0, headerEnd);
  if (mac === undefined || !checkRunningMac(state, mac) || typeof id !== 'string' || !isMac(store) || !(stateMac === null || isMac(stateMac))) {
    throw integrityError(path, 'its header does not verify (a journal of another store, or written under another key)');
  }
  return { header: { id, store, state: stateMac }, state };
}

// Parses and verifies a journal's bytes. Throws store_integrity for a bad header or a bad line
// before the last; a bad last line is left out (validLength ends before it).
export function parseJournal(bytes: Buffer, macKey: Buffer, path: string): ParsedJournal {
  const headerEnd = bytes.indexOf(0x0a);
  const { header, state } = parseHeader(bytes, headerEnd, macKey, path);
  const lines: Array<readonly [number, number]> = [];
  let position = headerEnd + 1;
  for (let end = bytes.indexOf(0x0a, position); end !== -1; end = bytes.indexOf(0x0a, position)) {
    lines.push([position, end]);
    position = end + 1;
  }
  // Bytes after the last "\n" are a line cut short: only the last line may be.
  const cutShort = position < bytes.length;
  const bad = (): never => {
    throw integrityError(path, 'the journal does not verify before its last line (edited, reordered, cut in the middle or from another journal)');
  };
  let before = state;
  let valid = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const [start, end] = lines[i] as readonly [number, number];
    const mac = macOf(bytes, start, end);
    const last = i === lines.length - 1;
    if (!last) {
      if (mac === undefined) bad();
      hashLine(state, bytes, start, end);
      continue;
    }
    // The last line: verify it; if it fails, the line before it must hold (the MAC of the
    // header holds when there is none), and the last line is a torn append.
    before = { inner: state.inner.copy(), outerKey: state.outerKey };
    if (mac !== undefined) hashLine(state, bytes, start, end);
    if (mac !== undefined && checkRunningMac(state, mac)) break;
    const previous = i === 0 ? undefined : macOf(bytes, ...(lines[i - 1] as readonly [number, number]));
    if (cutShort || (previous !== undefined && !checkRunningMac(before, previous))) bad();
    valid = i;
  }
  const validLength = valid === 0 ? headerEnd + 1 : (lines[valid - 1] as readonly [number, number])[1] + 1;
  const text = bytes.toString('utf8', headerEnd + 1, validLength);
  let values: unknown[] = [];
  try {
    values = text === '' ? [] : (JSON.parse(`[${text.slice(0, -1).replaceAll('\n', ',')}]`) as unknown[]);
  } catch {
    bad();
  }
  const entries = values.map((value, i) => parseEntry(value, i + 1) ?? bad());
  return { header, entries, state: valid === lines.length ? state : before, lastSeq: entries.length, validLength };
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
