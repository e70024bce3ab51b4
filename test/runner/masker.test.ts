import { describe, expect, it } from 'vitest';
import { buildMaskNeedles, createMasker, maskReplacement } from '../../src/runner/masker.js';
import { renderGithubMasks } from '../../src/runner/github-mask.js';
import { createReferenceMasker } from './mask-reference.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

const M = maskReplacement;

// Feeds the chunks through one masker and returns everything it let out.
function mask(values: string[], chunks: (string | Buffer)[]): string {
  const masker = createMasker(values);
  const out = chunks.map((chunk) => masker.write(Buffer.from(chunk)));
  return Buffer.concat([...out, masker.end()]).toString();
}

describe('createMasker', () => {
  it('masks every occurrence, longest value first', () => {
    expect(mask(['hunter22', 'hunter22-long'], ['a hunter22 b hunter22-long c'])).toBe(`a ${M} b ${M} c`);
  });

  it('masks a value split at every possible chunk boundary, including multi-byte characters', () => {
    const value = 'pässwörd-✓-42';
    const output = `x ${value} y ${value}`;
    const bytes = Buffer.from(output);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(mask([value], [bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(`x ${M} y ${M}`);
    }
    expect(mask([value], [...bytes].map((byte) => Buffer.from([byte])))).toBe(`x ${M} y ${M}`);
  });

  it('does not let a shorter value win while a longer one may still complete', () => {
    expect(mask(['abcd', 'abcdefgh'], ['xx abcd', 'efgh yy'])).toBe(`xx ${M} yy`);
  });

  it('lets output through at once when it cannot be the start of a value, and holds only a possible start', () => {
    const masker = createMasker(['s3cr3t-value']);
    expect(masker.write(Buffer.from('hello s3c')).toString()).toBe('hello ');
    expect(masker.write(Buffer.from('ret world ')).toString()).toBe('s3cret world ');
    expect(masker.write(Buffer.from('s3cr3t')).toString()).toBe('');
    expect(masker.end().toString()).toBe('s3cr3t');
    expect(masker.end().toString()).toBe('');
  });

  it('skips values shorter than 4 bytes and masks each line of multi-line values', () => {
    expect(buildMaskNeedles(['abc', 'line-one\nline-two', ''])).toEqual([Buffer.from('line-one\nline-two'), Buffer.from('line-one'), Buffer.from('line-two')]);
    expect(mask(['abc', 'line-one\nline-two'], ['abc line-one\r\nline-two'])).toBe(`abc ${M}\r\n${M}`);
  });
});

// Feeds the same chunks to the masker and to the reference; every write() and end() must agree.
function expectSameAsReference(values: string[], chunks: Buffer[]): void {
  const masker = createMasker(values);
  const reference = createReferenceMasker(values);
  chunks.forEach((chunk, index) => {
    const got = masker.write(chunk);
    const want = reference.write(chunk);
    if (!got.equals(want)) throw new Error(`write ${index} differs for values ${JSON.stringify(values)}, chunks ${JSON.stringify(chunks.map(String))}: ${JSON.stringify(String(got))} vs ${JSON.stringify(String(want))}`);
  });
  expect(masker.end().toString('latin1')).toBe(reference.end().toString('latin1'));
}

// Every way of cutting `bytes` into two chunks and into three.
function splits(bytes: Buffer): Buffer[][] {
  const ways: Buffer[][] = [[bytes]];
  for (let a = 0; a <= bytes.length; a++) {
    ways.push([bytes.subarray(0, a), bytes.subarray(a)]);
    for (let b = a; b <= bytes.length; b++) ways.push([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
  }
  return ways;
}

describe('createMasker against the reference masker', () => {
  it('takes the leftmost of overlapping values, then the longest at that position', () => {
    expect(mask(['abcdef', 'defghi'], ['abcdefghi'])).toBe(`${M}ghi`);
    expect(mask(['defghi', 'abcdef'], ['xxdefghi abcdefghi'])).toBe(`xx${M} ${M}ghi`);
    expect(mask(['bcde', 'abcdefgh'], ['abcdefgx'])).toBe(`a${M}fgx`);
    expect(mask(['abcd', 'bcdefghij'], ['abcdefghij'])).toBe(`${M}efghij`);
    expectSameAsReference(['abcdef', 'defghi', 'cdefgh'], [Buffer.from('abcdefghi cdefghi abcdefgh')]);
  });

  it('masks values that are prefixes and suffixes of other values', () => {
    const values = ['abcd', 'abcdef', 'abcdefgh', 'efgh', 'cdefgh', 'xabcd'];
    expect(mask(values, ['abcd abcdef abcdefgh efgh cdefgh xabcdefgh abcde'])).toBe(`${M} ${M} ${M} ${M} ${M} ${M}${M} ${M}e`);
    for (const chunks of splits(Buffer.from('xabcdefgh abcdefg efgh'))) expectSameAsReference(values, chunks);
  });

  it('gives the same result whatever the chunk boundaries, down to one byte per chunk', () => {
    const values = ['s3cr3t-value', 'cr3t', 'line-one\nline-two', 'p@ss✓wörd'];
    const output = Buffer.from('a s3cr3t-value b s3cr3t-valu cr3t line-one\nline-two\r\nline-one p@ss✓wörd p@ss✓wör');
    for (const chunks of splits(output.subarray(0, 40))) expectSameAsReference(values, chunks);
    for (let cut = 0; cut <= output.length; cut++) expectSameAsReference(values, [output.subarray(0, cut), output.subarray(cut)]);
    expectSameAsReference(values, [...output].map((byte) => Buffer.from([byte])));
  });

  it('handles near matches in bulk: many `aaaa…` against `aaaab`, long runs of partial values', () => {
    const run = Buffer.from(`${'a'.repeat(100_000)}b${'a'.repeat(3)}`);
    expect(mask(['aaaab'], [run])).toBe(`${'a'.repeat(99_996)}${M}aaa`);
    const masker = createMasker(['aaaab']);
    // Only the last bytes can still become the value, so only they are held back.
    expect(masker.write(Buffer.from('a'.repeat(70_000))).length).toBe(70_000 - 4);
    expect(masker.end().toString()).toBe('aaaa');
    const long = 'x'.repeat(300) + 'y';
    const near = Buffer.from(`${'x'.repeat(299)}z`.repeat(300));
    expect(mask([long, 'xxxxz'], [near])).toBe(`${'x'.repeat(295)}${M}`.repeat(300));
    expectSameAsReference(['aaaab', 'aaaaaaab', 'abab', 'ababab'], [Buffer.from(`${'ab'.repeat(999)}aaaaaaaaaaaab${'a'.repeat(50)}`)]);
  });

  it('masks multi-byte UTF-8 values however the characters are cut, and leaves similar bytes alone', () => {
    const values = ['日本語の秘密', '🔑🔑key🔑', 'ñandú-42'];
    const output = Buffer.from('x 日本語の秘密 y 🔑🔑key🔑 z ñandú-42 日本語の秘 🔑🔑key ñandú-4');
    expect(mask(values, [output])).toBe(`x ${M} y ${M} z ${M} 日本語の秘 🔑🔑key ñandú-4`);
    for (let cut = 0; cut <= output.length; cut++) expectSameAsReference(values, [output.subarray(0, cut), output.subarray(cut)]);
    expectSameAsReference(values, [...output].map((byte) => Buffer.from([byte])));
  });

  it('agrees with the reference on random values, output and chunking (seeded)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const alphabet = seed % 4 === 0 ? 'ab' : seed % 4 === 1 ? 'abc\n' : seed % 4 === 2 ? 'abcdé' : 'abcdefghijklmnopqrstuvwxyz0123456789';
      const pick = (length: number): string => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const values = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(Math.floor(next() * 14)));
      // Output built from pieces of the values and noise, so matches, near matches and overlaps abound.
      let output = '';
      while (output.length < 300) {
        const value = values[Math.floor(next() * values.length)] ?? '';
        output += next() < 0.5 ? value.slice(0, Math.floor(next() * (value.length + 1))) : pick(1 + Math.floor(next() * 4));
      }
      const bytes = Buffer.from(output);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = Math.floor(next() * 40);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      expectSameAsReference(values, chunks);
    }
  });

  it('masks with a thousand long values as with one (the filter in front of the automaton)', () => {
    const next = random(7);
    const values = Array.from({ length: 1000 }, (_, i) => `${i}-${Array.from({ length: 30 }, () => String.fromCharCode(33 + Math.floor(next() * 94))).join('')}`);
    const text = values.map((value, i) => (i % 3 === 0 ? `[${value}]` : `(${value.slice(0, 20)})`)).join(' ');
    const bytes = Buffer.from(text);
    const cut = (size: number, end = bytes.length): Buffer[] => Array.from({ length: Math.ceil(end / size) }, (_, i) => bytes.subarray(i * size, Math.min(end, (i + 1) * size)));
    for (const size of [1, 7, 4096, bytes.length]) expect(mask(values, cut(size)).split(M).length - 1).toBe(Math.ceil(values.length / 3));
    // The reference tries every value at every byte: a part of the output is enough for it.
    expectSameAsReference(values, cut(1000, 6000));
  });
});

describe('renderGithubMasks', () => {
  it('prints one add-mask per line, escaping workflow-command data', () => {
    expect(renderGithubMasks(['plain', 'a\nb%c', 'plain', ''])).toBe('::add-mask::plain\n::add-mask::a\n::add-mask::b%25c\n');
  });
});
