import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveMacKey } from '../../src/store/key-derivation.js';
import { createKeyring } from '../../src/store/keyring.js';
import {
  compareKeys,
  parseStoreText,
  renderEntryLine,
  renderStoreText,
  scanEntries,
  verifyStoreMac,
} from '../../src/store/store-format.js';

const root = randomBytes(32);
const header = { id: 'store-id-1', keyring: createKeyring(root, 'store-id-1', randomBytes), kdf: null, check: 'x' };

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
    const parsed = parseStoreText(text, '/p');
    expect(parsed.header).toEqual(header);
    expect(() => verifyStoreMac(parsed, deriveMacKey(root), '/p')).not.toThrow();
    expect(() => verifyStoreMac(parsed, deriveMacKey(randomBytes(32)), '/p')).toThrow(/integrity/);
    expect(scanEntries(parsed.entriesText, '/p')).toEqual({ keys, lines });
  });

  it('renders an empty store as the header line alone', () => {
    const text = renderStoreText(header, [], deriveMacKey(root));
    expect(text.split('\n')).toHaveLength(2);
    expect(scanEntries(parseStoreText(text, '/p').entriesText, '/p').keys).toEqual([]);
  });

  it('rejects out-of-order and duplicate entries', () => {
    const [a, b] = [renderEntryLine('a', 'AQ=='), renderEntryLine('b', 'AQ==')];
    expect(() => scanEntries(`${b}\n${a}\n`, '/p')).toThrow(/out of order/);
    expect(() => scanEntries(`${a}\n${a}\n`, '/p')).toThrow(/out of order/);
    expect(() => scanEntries('{"v":"AQ==","k":"a"}\n', '/p')).toThrow(/not an entry/);
  });
});
