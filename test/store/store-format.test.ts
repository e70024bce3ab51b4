import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEntryIndex } from '../../src/store/entry-index.js';
import { deriveMacKey } from '../../src/store/key-derivation.js';
import { createKeyring } from '../../src/store/keyring.js';
import { parseStoreBytes, renderEntryLine, renderStoreFile, verifyStoreMac } from '../../src/store/store-format.js';
import { compareGoStrings } from '../../src/go/string-order.js';

const root = randomBytes(32);
const header = { id: 'store-id-1', keyring: createKeyring(root, 'store-id-1', randomBytes), kdf: null, check: 'x' };

// A store file for a header and entry lines, rendered as the writer does.
function render(lines: readonly string[], macKey: Buffer): Buffer {
  return renderStoreFile(header, lines.map((line) => Buffer.from(`${line}\n`)), macKey);
}

// Every entry of a store file, as keys and lines.
function walk(bytes: Buffer): { keys: string[]; lines: string[] } {
  const index = createEntryIndex(bytes, parseStoreBytes(bytes, '/p').entriesStart, '/p');
  const keys = index.keysWithPrefix('');
  return { keys, lines: keys.map((key) => index.lineOf(key) as string) };
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
    expect([...keys].sort(compareGoStrings)).toEqual(byBytes);
  });

  it('renders and parses back, verifying the MAC over the raw lines', () => {
    const keys = ['a', 'quote"d', 'new\nline', 'uni\u00e9'].sort(compareGoStrings);
    const lines = keys.map((k) => renderEntryLine(k, 'AQAAAAE='));
    const bytes = render(lines, deriveMacKey(root));
    const parsed = parseStoreBytes(bytes, '/p');
    expect(parsed.header).toEqual(header);
    expect(() => verifyStoreMac(parsed, bytes, deriveMacKey(root), '/p')).not.toThrow();
    expect(() => verifyStoreMac(parsed, bytes, deriveMacKey(randomBytes(32)), '/p')).toThrow(/integrity/);
    expect(walk(bytes)).toEqual({ keys, lines });
  });

  it('renders an empty store as the header line alone', () => {
    const bytes = render([], deriveMacKey(root));
    expect(bytes.toString().split('\n')).toHaveLength(2);
    expect(walk(bytes).keys).toEqual([]);
  });

  // Order and uniqueness are not re-checked on load: the MAC proves the writer's sorted output
  // (file-store.test.ts shows swapped and duplicated lines fail it). A malformed line still fails.
  it('rejects a line that is not an entry when a lookup meets it', () => {
    expect(() => indexOver('{"v":"AQ==","k":"a"}\n').lineOf('a')).toThrow(/not an entry/);
    expect(() => indexOver('{"v":"AQ==","k":"a"}\n').keysWithPrefix('')).toThrow(/not an entry/);
  });
});
