import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEntryIndex } from '../../src/store/entry-index.js';
import { deriveMacKey } from '../../src/store/key-derivation.js';
import { createKeyring } from '../../src/store/keyring.js';
import {
  compareKeys,
  parseStoreBytes,
  renderEntryLine,
  renderStoreText,
  verifyStoreMac,
} from '../../src/store/store-format.js';

const root = randomBytes(32);
const header = { id: 'store-id-1', keyring: createKeyring(root, 'store-id-1', randomBytes), kdf: null, check: 'x' };

// Every entry of store text, by a full walk (the write path), as keys and lines.
function walk(text: string): { keys: string[]; lines: string[] } {
  const bytes = Buffer.from(text);
  const entries = [...createEntryIndex(bytes, parseStoreBytes(bytes, '/p').entriesStart, '/p').entries()];
  return { keys: entries.map((e) => e.key), lines: entries.map((e) => e.line) };
}

// Entry lines after a header line, as the index sees them (no MAC involved).
function indexOver(entriesText: string) {
  const bytes = Buffer.from(`{}\n${entriesText}`);
  return createEntryIndex(bytes, 3, '/p');
}

describe('store format', () => {
  it('orders keys by UTF-8 bytes, not UTF-16 units', () => {
    const keys = ['b', 'a/\u{1F600}', 'a/\uFF5E', 'a', 'a/'];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareKeys)).toEqual(byBytes);
  });

  it('renders and parses back, verifying the MAC over the raw lines', () => {
    const keys = ['a', 'quote"d', 'new\nline', 'uni\u00e9'].sort(compareKeys);
    const lines = keys.map((k) => renderEntryLine(k, 'AQAAAAE='));
    const text = renderStoreText(header, lines, deriveMacKey(root));
    const bytes = Buffer.from(text);
    const parsed = parseStoreBytes(bytes, '/p');
    expect(parsed.header).toEqual(header);
    expect(() => verifyStoreMac(parsed, bytes, deriveMacKey(root), '/p')).not.toThrow();
    expect(() => verifyStoreMac(parsed, bytes, deriveMacKey(randomBytes(32)), '/p')).toThrow(/integrity/);
    expect(walk(text)).toEqual({ keys, lines });
  });

  it('renders an empty store as the header line alone', () => {
    const text = renderStoreText(header, [], deriveMacKey(root));
    expect(text.split('\n')).toHaveLength(2);
    expect(walk(text).keys).toEqual([]);
  });

  it('rejects out-of-order and duplicate entries', () => {
    const [a, b] = [renderEntryLine('a', 'AQ=='), renderEntryLine('b', 'AQ==')];
    expect(() => [...indexOver(`${b}\n${a}\n`).entries()]).toThrow(/out of order/);
    expect(() => [...indexOver(`${a}\n${a}\n`).entries()]).toThrow(/out of order/);
    expect(() => [...indexOver('{"v":"AQ==","k":"a"}\n').entries()]).toThrow(/not an entry/);
    expect(() => indexOver('{"v":"AQ==","k":"a"}\n').lineOf('a')).toThrow(/not an entry/);
  });
});
