import { describe, expect, it } from 'vitest';
import { SecretrunError } from '../../src/errors.js';
import { createEntryIndex } from '../../src/store/entry-index.js';
import { renderEntryLine } from '../../src/store/store-format.js';
import { compareGoStrings } from '../../src/go/string-order.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

// A header line stand-in: the index only needs to know where the entry lines begin.
const header = '{"secretrun_store":1}\n';

// Entry lines for `keys` as the writer renders them, sorted, with envelopes of varied length
// so that byte midpoints land at all sorts of places within lines.
function build(keys: readonly string[]) {
  const sorted = [...keys].sort(compareGoStrings);
  const lines = sorted.map((key, i) => renderEntryLine(key, Buffer.alloc(20 + ((i * 37) % 200), i).toString('base64')));
  // A buffer of its own (small Buffer.from results share a pool), so slices of it are recognisable.
  const text = Buffer.from(header + lines.map((l) => `${l}\n`).join(''));
  const bytes = Buffer.alloc(text.length);
  text.copy(bytes);
  return { sorted, lines, bytes, index: createEntryIndex(bytes, Buffer.byteLength(header), '/p/store.json') };
}

// The text of spliced chunks.
const text = (chunks: readonly Buffer[]) => Buffer.concat(chunks).toString('utf8');

const tricky = [
  'secret/data/app',
  'secret/data/app/',
  'secret/data/app/x',
  'secret/data/apq',
  'quote"d',
  'back\\slash',
  'new\nline',
  '\u0001control',
  'caf\u00e9',
  'caf\u00e9/\u65e5\u672c',
  'emoji/\u{1F600}',
  'emoji/\uFF5E',
  'lone/\uD800',
  'sep/\u2028',
  '',
];

describe('entry index', () => {
  it('serves an empty store', () => {
    const { index } = build([]);
    expect(index.lineOf('')).toBeUndefined();
    expect(index.lineOf('a')).toBeUndefined();
    expect(index.keysWithPrefix('')).toEqual([]);
    expect(index.spliceLines(new Map())).toEqual([]);
    expect(text(index.spliceLines(new Map([['b', 'B'], ['a', 'A'], ['c', null]])))).toBe('A\nB\n');
  });

  it('finds every key and misses before the first, after the last and between', () => {
    const { sorted, lines, index } = build(['b', 'd', 'f', 'h']);
    sorted.forEach((key, i) => expect(index.lineOf(key)).toBe(lines[i]));
    for (const miss of ['', 'a', 'a\uffff', 'c', 'e', 'g', 'i', 'b/', 'hh', '\u{1F600}']) expect(index.lineOf(miss)).toBeUndefined();
  });

  it('finds the only entry of a one-entry store', () => {
    const { lines, index } = build(['only']);
    expect(index.lineOf('only')).toBe(lines[0]);
    expect(index.lineOf('onl')).toBeUndefined();
    expect(index.lineOf('only/')).toBeUndefined();
  });

  it('finds keys with JSON escapes, non-ASCII text, lone surrogates and the empty key', () => {
    const { sorted, lines, index } = build(tricky);
    sorted.forEach((key, i) => expect([key, index.lineOf(key)]).toEqual([key, lines[i]]));
    expect(index.lineOf('quote')).toBeUndefined();
    expect(index.lineOf('lone/\uDBFF')).toBeUndefined();
    expect(index.lineOf('emoji/\u{1F601}')).toBeUndefined();
    expect(index.keysWithPrefix('')).toEqual(sorted);
  });

  it('lists keys by prefix across the first, middle and last entries', () => {
    const { sorted, index } = build(tricky);
    const naive = (prefix: string) => sorted.filter((k) => k.startsWith(prefix));
    for (const prefix of ['', 'secret/', 'secret/data/app', 'secret/data/app/', 'caf', 'caf\u00e9/', 'emoji/', 'lone/', 'sep/', 'quote"', 'new\n', 'zzz', '\u0000', 'secret/data/b']) {
      expect([prefix, index.keysWithPrefix(prefix)]).toEqual([prefix, naive(prefix)]);
    }
    expect(index.keysWithPrefix('')).toEqual(sorted);
    expect(index.keysWithPrefix('secret/data/app')).toEqual(['secret/data/app', 'secret/data/app/', 'secret/data/app/x']);
  });

  it('agrees with a sorted array on random keys, probes and prefixes', () => {
    const next = random(42);
    const alphabet = ['a', 'b', '/', '"', '\\', '\n', '\u00e9', '\u65e5', '\u{1F600}', '\uFF5E', 'z'];
    const word = (length: number) => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const keys = [...new Set(Array.from({ length: 600 }, () => word(1 + Math.floor(next() * 6))))];
    const { sorted, lines, index } = build(keys);
    const present = new Map(sorted.map((k, i) => [k, lines[i]]));
    for (const key of sorted) expect(index.lineOf(key)).toBe(present.get(key));
    for (let i = 0; i < 600; i++) {
      const probe = word(Math.floor(next() * 7));
      expect([probe, index.lineOf(probe)]).toEqual([probe, present.get(probe)]);
      expect([probe, index.keysWithPrefix(probe)]).toEqual([probe, sorted.filter((k) => k.startsWith(probe))]);
    }
  });

  it('splices changed lines into place, copying the untouched runs as slices of the file', () => {
    const { lines, bytes, index } = build(['b', 'd', 'f', 'h']);
    const all = (ls: readonly string[]) => ls.map((l) => `${l}\n`).join('');
    expect(text(index.spliceLines(new Map()))).toBe(all(lines));
    const changed = index.spliceLines(
      new Map<string, string | null>([
        ['h', 'H'],
        ['a', 'A'],
        ['d', null],
        ['e', 'E'],
        ['i', 'I'],
        ['c', null],
      ]),
    );
    expect(text(changed)).toBe(all(['A', lines[0], 'E', lines[2], 'H', 'I'] as string[]));
    // The untouched lines are views of the file's bytes, not copies.
    expect(changed.map((chunk) => chunk.buffer === bytes.buffer)).toEqual([false, true, false, true, false, false]);
  });

  it('splices like a sorted array on random keys and changes', () => {
    const next = random(7);
    const word = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => ['a', 'b', '"', '\u00e9', '\u{1F600}'][Math.floor(next() * 5)]).join('');
    for (let round = 0; round < 30; round++) {
      const { sorted, lines, index } = build([...new Set(Array.from({ length: Math.floor(next() * 40) }, word))]);
      const model = new Map(sorted.map((k, i) => [k, lines[i] as string]));
      const changes = new Map<string, string | null>();
      for (let i = Math.floor(next() * 10); i > 0; i--) {
        const key = next() < 0.5 && sorted.length > 0 ? (sorted[Math.floor(next() * sorted.length)] as string) : word();
        changes.set(key, next() < 0.3 ? null : `new ${JSON.stringify(key)} ${round}`);
      }
      for (const [key, line] of changes) {
        if (line === null) model.delete(key);
        else model.set(key, line);
      }
      const expected = [...model.keys()].sort(compareGoStrings).map((k) => `${model.get(k)}\n`).join('');
      expect([round, text(index.spliceLines(changes))]).toEqual([round, expected]);
    }
  });

  // Any lookup may meet the malformed line on its way (bisection probes the middle), so only
  // the lookup that must read it is asserted.
  it('throws store_integrity for a malformed line a lookup meets, naming no value', () => {
    const good = renderEntryLine('a', 'AQAAAAE=');
    const bytes = Buffer.from(`${header}${good}\n{"v":"PLAINTEXT","k":"b"}\n`);
    const index = createEntryIndex(bytes, Buffer.byteLength(header), '/p/store.json');
    const error = (() => {
      try {
        index.lineOf('b');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SecretrunError);
    expect((error as SecretrunError).code).toBe('store_integrity');
    expect((error as SecretrunError).message).toContain('/p/store.json');
    expect((error as SecretrunError).message).not.toContain('PLAINTEXT');
    for (const bad of ['{"k":"b"}', '{"k":"b","v":"AQ==" }', '', '{"k":"b\\","v":"AQ=="}', '{"k":"a"b","v":"AQ=="}', '{"k"', '{"x":"b","v":"AQ=="}']) {
      const broken = createEntryIndex(Buffer.from(`${header}${bad}\n`), Buffer.byteLength(header), '/p');
      expect(() => broken.lineOf('b')).toThrow(/not an entry/);
    }
  });
});
