import { integrityError } from './store-format.js';
import { compareGoStrings } from '../go/string-order.js';

// Lookups over the entry lines of a verified store file, straight from its bytes. Loading a
// store must not cost time per entry (a `kv get` on a 10,000-secret store reads one), so
// nothing is split, decoded or indexed up front: a lookup bisects the byte range of the entry
// lines, snapping each probe to the start of the line it falls in, and decodes nothing but
// keys that hold JSON escapes. A bisection over bytes needs no table of line offsets, so even
// the newline scan such a table would take (~2-5 ms on 7 MB) is skipped.
//
// Nothing checks that the keys are sorted and unique, on reads or writes: the caller verified
// the MAC, which proves the bytes are exactly what our writer produced, and the writer only
// ever splices lines in key order into such bytes. Lines a lookup touches are still checked
// for shape (a malformed one throws store_integrity).

// The sorted entries of one store file.
export interface EntryIndex {
  /** The raw line of the entry at `key` (without its "\n"), or undefined when there is none. */
  lineOf(key: string): string | undefined;
  /** The keys that start with `prefix`, in store order. */
  keysWithPrefix(prefix: string): string[];
  /**
   * The entry lines with `lines` applied (key → new raw line, or null to delete), as byte
   * chunks of whole lines in key order. Untouched runs of lines are slices of the file's own
   * bytes, so they stay byte for byte and a write costs a lookup per changed key, not a walk.
   */
  spliceLines(lines: ReadonlyMap<string, string | null>): Buffer[];
  /** spliceLines one key at a time, for a caller that pauses between keys. */
  splicer(): Splicer;
}

// Builds the chunks of spliceLines from changed keys given in increasing key order.
export interface Splicer {
  /** The new raw line at `key` (null deletes it); keys must come in Go string order. */
  put(key: string, line: string | null): void;
  /** The chunks of the whole entry section. */
  finish(): Buffer[];
}

const newline = 0x0a;
const quote = 0x22;
const backslash = 0x5c;
const closeBrace = 0x7d;
const entryPrefix = Buffer.from('{"k":"');
const entryMiddle = Buffer.from('","v":"');
// How many probed lines a lookup remembers (see spanContaining); ~100 bytes each.
const maxRemembered = 4096;
// How many lines a splice walks before it bisects (see nextAtLeast).
const walkLines = 16;

// Where one line's parts are: [start, end) is the line, [start + 6, keyEnd) the raw key.
interface LineSpan {
  start: number;
  end: number;
  keyEnd: number;
  escaped: boolean;
}

// A key being looked up: its text, and its UTF-8 bytes when byte order equals key order.
interface Probe {
  text: string;
  bytes: Buffer | undefined;
}

// An index over `bytes` (a whole store file, ending in "\n"), whose entry lines begin at
// byte `start`; `path` names the store in errors.
export function createEntryIndex(bytes: Buffer, start: number, path: string): EntryIndex {
  // Every step below is a native Buffer call rather than a byte loop in JS: a CLI process runs
  // its few lookups cold, in V8's interpreter, where a loop over a key's ~50 bytes costs more
  // than the call (the runner's 21 lookups on a 20-entry store: 1.0-1.5 ms with loops, 0.7 ms
  // with native calls).
  const spanAt = (lineStart: number): LineSpan => {
    const end = bytes.indexOf(newline, lineStart);
    const keyStart = lineStart + entryPrefix.length;
    // The key ends where `","v":"` first follows it: inside a JSON string every quote is
    // escaped, so a quote after a comma cannot occur within the key.
    const keyEnd = end === -1 || keyStart > end ? -1 : bytes.indexOf(entryMiddle, keyStart);
    const key = bytes.subarray(keyStart, Math.max(keyStart, keyEnd));
    // A key with escapes is decoded (and so checked) by keyOf; one without has no quote.
    const escaped = key.includes(backslash);
    if (
      keyEnd === -1 ||
      keyEnd + entryMiddle.length > end - 2 ||
      (!escaped && key.includes(quote)) ||
      bytes.compare(entryPrefix, 0, entryPrefix.length, lineStart, keyStart) !== 0 ||
      bytes[end - 2] !== quote ||
      bytes[end - 1] !== closeBrace
    ) {
      throw integrityError(path, `the line at byte ${lineStart} is not an entry`);
    }
    return { start: lineStart, end, keyEnd, escaped };
  };

  const keyOf = (span: LineSpan): string => {
    const raw = bytes.toString('utf8', span.start + entryPrefix.length, span.keyEnd);
    if (!span.escaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      throw integrityError(path, `the line at byte ${span.start} is not an entry`);
    }
  };

  // Key order is UTF-8 byte order, so an unescaped key compares as raw bytes, undecoded.
  const compareTo = (span: LineSpan, probe: Probe): number => {
    if (span.escaped || probe.bytes === undefined) return compareGoStrings(keyOf(span), probe.text);
    return bytes.compare(probe.bytes, 0, probe.bytes.length, span.start + entryPrefix.length, span.keyEnd);
  };

  // Lines probed so far, by probe position. Every lookup starts with the same probes (the
  // middle of the file, then a quarter...), so those lines are found and parsed once.
  const remembered = new Map<number, LineSpan>();
  const spanContaining = (position: number): LineSpan => {
    let span = remembered.get(position);
    if (span === undefined) {
      span = spanAt(bytes.lastIndexOf(newline, position - 1) + 1);
      if (remembered.size < maxRemembered) remembered.set(position, span);
    }
    return span;
  };

  // The first line from byte `from` on whose key is not below `probe` (a lower bound), or
  // undefined past the end.
  const lowerBound = (probe: Probe, from = start): LineSpan | undefined => {
    let low = from;
    let high = bytes.length;
    let found: LineSpan | undefined;
    // Invariant: low and high are line starts (or the end); lines before low are below probe,
    // lines from high on are not. The byte before a line start is a newline (before `start`,
    // the header's), so the backward search for a line start never leaves [low, high).
    while (low < high) {
      const middle = low + ((high - low) >>> 1);
      const span = spanContaining(middle);
      if (compareTo(span, probe) < 0) {
        low = span.end + 1;
      } else {
        high = span.start;
        found = span;
      }
    }
    return found;
  };

  // The lower bound from the line starting at `from`, for keys that come in order: a
  // checkpoint splices in thousands of changed keys, a few lines apart, where walking the next
  // few lines costs less than a bisection over the rest of the file (2,800 keys into a
  // 20,000-line store: 55 ms by bisection alone; see bench/store-checkpoint.mjs).
  const nextAtLeast = (probe: Probe, from: number): LineSpan | undefined => {
    let position = from;
    for (let steps = 0; steps < walkLines && position < bytes.length; steps++) {
      const span = spanAt(position);
      if (compareTo(span, probe) >= 0) return span;
      position = span.end + 1;
    }
    return position < bytes.length ? lowerBound(probe, position) : undefined;
  };

  // A key with a lone surrogate has no UTF-8 form, so it cannot be compared as bytes.
  // (isWellFormed is native; a regular expression cost its compilation on every start.)
  const probeOf = (key: string): Probe => ({ text: key, bytes: key.isWellFormed() ? Buffer.from(key, 'utf8') : undefined });

  const makeSplicer = (): Splicer => {
    const chunks: Buffer[] = [];
    // `copied` is where the old bytes not yet copied begin; each changed key, in order, is
    // searched for only from there on.
    let copied = start;
    return {
      put(key, line) {
        const probe = probeOf(key);
        const span = copied < bytes.length ? nextAtLeast(probe, copied) : undefined;
        const at = span === undefined ? bytes.length : span.start;
        if (at > copied) chunks.push(bytes.subarray(copied, at));
        copied = span !== undefined && compareTo(span, probe) === 0 ? span.end + 1 : at;
        if (line !== null) chunks.push(Buffer.from(`${line}\n`, 'utf8'));
      },
      finish() {
        if (copied < bytes.length) chunks.push(bytes.subarray(copied));
        copied = bytes.length;
        return chunks;
      },
    };
  };

  return {
    lineOf(key) {
      const probe = probeOf(key);
      const span = lowerBound(probe);
      if (span === undefined || compareTo(span, probe) !== 0) return undefined;
      return bytes.toString('utf8', span.start, span.end);
    },
    keysWithPrefix(prefix) {
      const keys: string[] = [];
      // Keys sharing a prefix are contiguous in key order; walk from the first one.
      for (let span = lowerBound(probeOf(prefix)); span !== undefined; ) {
        const key = keyOf(span);
        if (!key.startsWith(prefix)) break;
        keys.push(key);
        span = span.end + 1 < bytes.length ? spanAt(span.end + 1) : undefined;
      }
      return keys;
    },
    spliceLines(lines) {
      const splicer = makeSplicer();
      for (const key of [...lines.keys()].sort(compareGoStrings)) splicer.put(key, lines.get(key) ?? null);
      return splicer.finish();
    },
    splicer: makeSplicer,
  };
}
