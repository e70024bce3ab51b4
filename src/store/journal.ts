import { promises as fs, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renameOver, syncDirectory, writeTempFile } from '../fs/atomic-write.js';
import { renderJournalEntry, renderJournalHeader } from './journal-format.js';
import type { JournalEntry, JournalHeader, ParsedJournal } from './journal-format.js';
import type { RunningMac } from './journal-mac.js';

// The journal file as its writer uses it (format: journal-format.ts). It is created whole
// (header and first record in a temp file renamed into place, then the directory fsynced), so
// it never exists half-made; after that each pass appends its line and fdatasyncs it — no
// rename, so no directory fsync. A torn tail a crash left is cut off before the next append.

// A journal this process writes, as it knows it.
export interface JournalFile {
  readonly path: string;
  readonly header: JournalHeader;
  /** The header line with its "\n" (the file is the same journal while its first line is). */
  readonly head: Buffer;
  /** Bytes of whole, verified lines. */
  size: number;
  /** The running MAC after the last line (journal-mac.ts). */
  state: RunningMac;
  lastSeq: number;
  /** Records appended since the journal was created (the checkpoint trigger counts them). */
  records: number;
  handle: FileHandle | undefined;
}

// The journal `parsed` (read from `path`), ready for appends after its last good line.
export function adoptJournal(path: string, parsed: ParsedJournal, bytes: Buffer): JournalFile {
  const head = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
  return { path, header: parsed.header, head, size: parsed.validLength, state: parsed.state, lastSeq: parsed.lastSeq, records: parsed.entries.length, handle: undefined };
}

function renderLines(entries: readonly JournalEntry[], before: RunningMac): { text: string; state: RunningMac } {
  let text = '';
  let state = before;
  for (const entry of entries) {
    const rendered = renderJournalEntry(entry, state);
    text += rendered.line;
    state = rendered.state;
  }
  return { text, state };
}

// Creates (or atomically replaces) the journal at `path` holding `entries` (numbered from 1).
export async function createJournal(path: string, header: JournalHeader, entries: readonly JournalEntry[], macKey: Buffer): Promise<JournalFile> {
  const first = renderJournalHeader(header, macKey);
  const rest = renderLines(entries, first.state);
  const bytes = Buffer.from(first.line + rest.text, 'utf8');
  await renameOver(await writeTempFile(path, bytes, { mode: 0o600 }), path);
  return { path, header, head: Buffer.from(first.line, 'utf8'), size: bytes.length, state: rest.state, lastSeq: entries.length, records: entries.length, handle: undefined };
}

async function openForAppend(journal: JournalFile): Promise<FileHandle> {
  if (journal.handle !== undefined) return journal.handle;
  const handle = await fs.open(journal.path, 'r+');
  try {
    // A torn tail (a crash mid-append) is cut off, so the next line follows a whole one.
    if ((await handle.stat()).size > journal.size) {
      await handle.truncate(journal.size);
      await handle.datasync();
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  journal.handle = handle;
  return handle;
}

// Appends `entries` (their seq must follow the journal's last) and makes them durable.
export async function appendJournal(journal: JournalFile, entries: readonly JournalEntry[]): Promise<void> {
  const { text, state } = renderLines(entries, journal.state);
  const bytes = Buffer.from(text, 'utf8');
  const handle = await openForAppend(journal);
  try {
    // Written on this thread: a record's few KB reach the page cache in microseconds, where
    // handle.write() went through libuv's thread pool and back before the datasync could
    // start (0.2-0.4 ms less per server write of a database creds read under load,
    // bench/database-server.mjs). The datasync, which waits for the disk, stays off-thread.
    for (let written = 0; written < bytes.length; ) written += writeSync(handle.fd, bytes, written, bytes.length - written, journal.size + written);
    await handle.datasync();
  } catch (error) {
    // What reached the file is not acknowledged; cut it off now, or the next append does.
    await handle.truncate(journal.size).catch(() => undefined);
    throw error;
  }
  journal.size += bytes.length;
  journal.state = state;
  journal.lastSeq += entries.length;
  journal.records += entries.filter((entry) => entry.kind === 'set').length;
}

// Closes the writer's handle (the file stays).
export async function closeJournal(journal: JournalFile | undefined): Promise<void> {
  const handle = journal?.handle;
  if (journal === undefined || handle === undefined) return;
  journal.handle = undefined;
  await handle.close().catch(() => undefined);
}

// Removes the journal at `path` once a checkpoint holds all of it, durably: a journal that came
// back after a power loss would not apply to a store file written later.
export async function removeJournal(path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await syncDirectory(dirname(path));
}
