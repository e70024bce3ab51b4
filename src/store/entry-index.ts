import { compareKeys, integrityError } from './store-format.js';

// Lookups over the entry lines of a verified store file, straight from its bytes. Loading a
// store must not cost time per entry (a `kv get` on a 10,000-secret store reads one), so
// nothing is split, decoded or indexed up front: a lookup bisects the byte range of the entry
// lines, snapping each probe to the start of the line it falls in, and decodes nothing but
// keys that hold JSON escapes. A bisection over bytes needs no table of line offsets, so even
// the newline scan such a table would take (~2-5 ms on 7 MB) is skipped.
//
// Reads do not check that the keys are sorted and unique: the caller verified the MAC, which
// proves the bytes are exactly what our writer produced, and the writer sorts and dedups.
// Lines a lookup touches are still checked for shape, and walking every entry (the write path,
// which re-MACs what it walks) checks the order too.

// One entry as the write path sees it: its storage key and its raw line, without the "\n".
export interface IndexedEntry {
  key: string;
  line: string;
}

// The sorted entries of one store file.
export interface EntryIndex {
  /** How many entries there are (counted on first use). */
  readonly size: number;
  /** The raw line of the entry at `key`, or undefined when there is none. */
  lineOf(key: string): string | undefined;
  /** The keys that start with `prefix`, in store order. */
  keysWithPrefix(prefix: string): string[];
  /** Every entry in store order; throws store_integrity if the order is broken. */
  entries(): IterableIterator<IndexedEntry>;
}

const newline = 0x0a;
const quote = 0x22;
const backslash = 0x5c;
const closeBrace = 0x7d;
const entryPrefix = Buffer.from('{"k":"');
const entryMiddle = Buffer.from('","v":"');
// A lone surrogate has no UTF-8 form, so such a key cannot be compared as bytes.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
  let size: number | undefined;

  const spanAt = (lineStart: number): LineSpan => {
    const end = bytes.indexOf(newline, lineStart);
    const keyStart = lineStart + entryPrefix.length;
    let at = keyStart;
    let escaped = false;
    // The key ends at its first unescaped quote; JSON escapes are a backslash and one more
    // character (the four hex digits of \uXXXX hold no quote).
    while (at < end && bytes[at] !== quote) {
      if (bytes[at] === backslash) {
        escaped = true;
        at++;
      }
      at++;
    }
    const valueStart = at + entryMiddle.length;
    if (
      end === -1 ||
      keyStart > end ||
      valueStart > end - 2 ||
      bytes.compare(entryPrefix, 0, entryPrefix.length, lineStart, keyStart) !== 0 ||
      bytes.compare(entryMiddle, 0, entryMiddle.length, at, valueStart) !== 0 ||
      bytes[end - 2] !== quote ||
      bytes[end - 1] !== closeBrace
    ) {
      throw integrityError(path, `the line at byte ${lineStart} is not an entry`);
    }
    return { start: lineStart, end, keyEnd: at, escaped };
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
    if (span.escaped || probe.bytes === undefined) return compareKeys(keyOf(span), probe.text);
    return bytes.compare(probe.bytes, 0, probe.bytes.length, span.start + entryPrefix.length, span.keyEnd);
  };

  // The first line whose key is not below `probe` (a lower bound), or undefined past the end.
  const lowerBound = (probe: Probe): LineSpan | undefined => {
    let low = start;
    let high = bytes.length;
    let found: LineSpan | undefined;
    // Invariant: low and high are line starts (or the end); lines before low are below probe,
    // lines from high on are not. The byte before `start` is the header's newline, so the
    // backward search for a line start never leaves [low, high).
    while (low < high) {
      const middle = low + ((high - low) >>> 1);
      const span = spanAt(bytes.lastIndexOf(newline, middle - 1) + 1);
      if (compareTo(span, probe) < 0) {
        low = span.end + 1;
      } else {
        high = span.start;
        found = span;
      }
    }
    return found;
  };

  const probeOf = (key: string): Probe => ({ text: key, bytes: loneSurrogate.test(key) ? undefined : Buffer.from(key, 'utf8') });

  return {
    get size() {
      if (size === undefined) {
        size = 0;
        for (let at = start; at < bytes.length; size++) {
          const end = bytes.indexOf(newline, at);
          at = end === -1 ? bytes.length : end + 1;
        }
      }
      return size;
    },
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
    *entries() {
      let previous: string | undefined;
      for (let at = start, line = 2; at < bytes.length; line++) {
        const span = spanAt(at);
        const key = keyOf(span);
        if (previous !== undefined && compareKeys(previous, key) >= 0) throw integrityError(path, `line ${line} is out of order`);
        yield { key, line: bytes.toString('utf8', span.start, span.end) };
        previous = key;
        at = span.end + 1;
      }
    },
  };
}
