import { describe, expect, it } from 'vitest';
import {
  checkCustomMetadata,
  formatMultiError,
  parseCustomMetadata,
  validateCustomMetadata,
} from '../../src/kv/custom-metadata.js';
import { errorOf } from './kv-harness.js';

describe('parseCustomMetadata', () => {
  it('stringifies values weakly', () => {
    expect(parseCustomMetadata({ a: 'x', n: 3, t: true, f: false })).toEqual({ a: 'x', n: '3', t: '1', f: '0' });
  });

  it('keeps a key named __proto__ (it was dropped)', () => {
    const parsed = parseCustomMetadata(JSON.parse('{"__proto__": "x", "constructor": "y"}'));
    expect(Object.entries(parsed)).toEqual([['__proto__', 'x'], ['constructor', 'y']]);
    expect(JSON.stringify(parsed)).toBe('{"__proto__":"x","constructor":"y"}');
  });

  it('drops nulls only for patch', () => {
    expect(parseCustomMetadata({ a: null, b: 'x' }, { dropNulls: true })).toEqual({ b: 'x' });
    expect(parseCustomMetadata({ a: null })).toEqual({ a: '' });
  });

  it('refuses a non-map and nested values', async () => {
    expect((await errorOf(() => parseCustomMetadata('x'))).message).toBe(
      `Field validation failed: error converting input x for field "custom_metadata": '' expected a map, got 'string'`,
    );
    expect((await errorOf(() => parseCustomMetadata({ a: { b: 'c' } }))).message).toMatch(
      /^custom_metadata validation failed: '' expected type 'string', got unconvertible type/,
    );
  });
});

describe('custom_metadata limits', () => {
  it('accepts the limits themselves', () => {
    const metadata = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v']));
    metadata.k0 = 'v'.repeat(512);
    metadata['x'.repeat(128)] = 'v';
    delete metadata.k1;
    expect(checkCustomMetadata(metadata)).toEqual([]);
  });

  it('stops at the key count', () => {
    const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, '']));
    expect(checkCustomMetadata(metadata)).toEqual([
      'custom_metadata validation failed: payload must contain at most 64 keys, provided 65',
    ]);
  });

  it('reports every broken rule in one multi-error text', async () => {
    const longKey = 'k'.repeat(129);
    const error = await errorOf(() => validateCustomMetadata({ [longKey]: 'v'.repeat(513), 'bad\u0001': 'ok', empty: '' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(
      '4 errors occurred:\n' +
        '\t* custom_metadata validation failed: key "bad\\x01" (bad\u0001) contains unprintable characters\n' +
        '\t* custom_metadata validation failed: length of value for key "empty" is 0 but must be 0 < len(value) <= 512\n' +
        `\t* custom_metadata validation failed: length of key "${longKey}" is 129 but must be 0 < len(key) <= 128\n` +
        `\t* custom_metadata validation failed: length of value for key "${longKey}" is 513 but must be 0 < len(value) <= 512\n\n`,
    );
  });

  it('wraps a single problem like go-multierror', async () => {
    const error = await errorOf(() => validateCustomMetadata({ '': 'v' }));
    expect(error.message).toBe(
      '1 error occurred:\n\t* custom_metadata validation failed: length of key "" is 0 but must be 0 < len(key) <= 128\n\n',
    );
  });

  it('counts bytes, like Go', () => {
    expect(checkCustomMetadata({ k: 'é'.repeat(257) })).toEqual([
      'custom_metadata validation failed: length of value for key "k" is 514 but must be 0 < len(value) <= 512',
    ]);
  });

  it('flags an unprintable value without showing it', () => {
    const problems = checkCustomMetadata({ k: 'line\nbreak' });
    expect(problems).toEqual(['custom_metadata validation failed: value for key "k" contains unprintable characters']);
  });

  it('formats go-multierror text', () => {
    expect(formatMultiError(['a', 'b'])).toBe('2 errors occurred:\n\t* a\n\t* b\n\n');
  });
});
