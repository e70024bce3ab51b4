import { describe, expect, it } from 'vitest';
import { buildMaskNeedles, createMasker, maskReplacement } from '../../src/runner/masker.js';
import { renderGithubMasks } from '../../src/runner/github-mask.js';
import { createReferenceMasker } from './mask-reference.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

const M = maskReplacement;

// Feeds the chunks through one masker and returns everything it let out.
function mask(values: string[], chunks: (string | Buffer)[]): string {
  const masker = createMasker(values);
  const out = chunks.flatMap((chunk) => masker.write(Buffer.from(chunk)));
  return Buffer.concat([...out, ...masker.end()]).toString();
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
    const text = (parts: Buffer[]): string => Buffer.concat(parts).toString();
    expect(text(masker.write(Buffer.from('hello s3c')))).toBe('hello ');
    expect(text(masker.write(Buffer.from('ret world ')))).toBe('s3cret world ');
    expect(text(masker.write(Buffer.from('s3cr3t')))).toBe('');
    expect(text(masker.end())).toBe('s3cr3t');
    expect(text(masker.end())).toBe('');
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
    const got = Buffer.concat(masker.write(chunk));
    const want = reference.write(chunk);
    if (!got.equals(want)) throw new Error(`write ${index} differs for values ${JSON.stringify(values)}, chunks ${JSON.stringify(chunks.map(String))}: ${JSON.stringify(String(got))} vs ${JSON.stringify(String(want))}`);
  });
  expect(Buffer.concat(masker.end()).toString('latin1')).toBe(reference.end().toString('latin1'));
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
    expect(Buffer.concat(masker.write(Buffer.from('a'.repeat(70_000)))).length).toBe(70_000 - 4);
    expect(Buffer.concat(masker.end()).toString()).toBe('aaaa');
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

  it('agrees with the reference when chunks are long and bytes are held before them (the chunk is not copied)', () => {
    // A chunk at least twice the longest value, after held bytes, is masked in place: the values
    // that begin in the held bytes are settled on the chunk's first bytes alone.
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(1000 + seed);
      const alphabet = seed % 3 === 0 ? 'ab' : seed % 3 === 1 ? 'abc\n' : 'abcdefgh';
      const pick = (length: number): string => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const values = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(4 + Math.floor(next() * 12)));
      let output = '';
      while (output.length < 2000) {
        const value = values[Math.floor(next() * values.length)] ?? '';
        output += next() < 0.6 ? value.slice(0, 1 + Math.floor(next() * value.length)) : pick(1 + Math.floor(next() * 3));
      }
      const bytes = Buffer.from(output);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(next() * 120);
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

describe('masking around colour codes and multi-byte text', () => {
  const red = '\x1b[31m';
  const reset = '\x1b[0m';

  it('keeps colour codes right before and after a value', () => {
    expect(mask(['hunter22'], [`${red}hunter22${reset} and ${red}${red}hunter22${reset}${reset}`])).toBe(`${red}${M}${reset} and ${red}${red}${M}${reset}${reset}`);
    expect(mask(['hunter22'], [`\x1b[1;38;2;255;0;0mhunter22\x1b[K`])).toBe(`\x1b[1;38;2;255;0;0m${M}\x1b[K`);
  });

  it('never cuts a code that a value begins inside, and conceals the rest of the match', () => {
    // `m` of the code and `ysecret` after it spell the value: the code stays whole.
    expect(mask(['mysecret'], [`a ${red}ysecret b`])).toBe(`a ${red}${M} b`);
    // A value starting with digits that also end a code's parameters.
    expect(mask(['31mAbCd'], [`${red}AbCd`])).toBe(`${red}${M}`);
    expect(mask(['1;31mAbCd'], [`\x1b[1;31mAbCd`])).toBe(`\x1b[1;31m${M}`);
    // Two-byte and character-set sequences: ESC 7 (save cursor), ESC ( B.
    expect(mask(['7secretX'], ['\x1b7secretX'])).toBe(`\x1b7${M}`);
    expect(mask(['Bsecret1'], ['\x1b(Bsecret1'])).toBe(`\x1b(B${M}`);
    // An OSC's text is text: a value inside a hyperlink's address is concealed.
    expect(mask(['tok-1234'], ['\x1b]8;;https://h/?t=tok-1234\x1b\\link\x1b]8;;\x1b\\'])).toBe(`\x1b]8;;https://h/?t=${M}\x1b\\link\x1b]8;;\x1b\\`);
    // And a value that is the whole code is concealed like any value.
    expect(mask([`${red}x`], [`a${red}x`])).toBe(`a${M}`);
  });

  it('leaves a code whose parameters merely spell a value as it is', () => {
    expect(mask(['255;0;0'], ['\x1b[38;2;255;0;0mred'])).toBe('\x1b[38;2;255;0;0mred');
    expect(mask(['255;0;0'], ['\x1b[38;2;255;0;0m 255;0;0'])).toBe(`\x1b[38;2;255;0;0m ${M}`);
  });

  it('keeps a code whole when a chunk boundary cuts it, at every cut', () => {
    const output = Buffer.from(`x ${red}ysecret y \x1b[1;31mysecret\x1b[0m mysecret`);
    const want = `x ${red}${M} y \x1b[1;31m${M}\x1b[0m ${M}`;
    for (let cut = 0; cut <= output.length; cut++) expect(mask(['mysecret'], [output.subarray(0, cut), output.subarray(cut)])).toBe(want);
    expect(mask(['mysecret'], [...output].map((byte) => Buffer.from([byte])))).toBe(want);
  });

  it('keeps a code whole when held bytes and a long chunk after them cut it', () => {
    const tail = ' and then a long line of ordinary output';
    // The value begins in the held bytes and the code it begins inside ends in the chunk.
    expect(mask(['1;31mabcde'], ['aa\x1b[1;3', `1mabcde${tail}`])).toBe(`aa\x1b[1;31m${M}${tail}`);
    // The value begins in the chunk, inside a code that began before the held bytes.
    const values = ['mysecret', '1;3zzzzz'];
    expect(mask(values, ['aaaa\x1b[1;3', `1mysecret${tail}`])).toBe(`aaaa\x1b[1;31m${M}${tail}`);
  });

  it('masks colour-coded output the same however it is cut into chunks (seeded)', () => {
    // Long chunks after held bytes are masked in place; codes cut by either boundary stay whole.
    const codes = ['\x1b[31m', '\x1b[0m', '\x1b[1;38;2;255;0;0m', '\x1b7', '\x1b(B'];
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(5000 + seed);
      const pick = (length: number): string => Array.from({ length }, () => 'm31;yseckt'[Math.floor(next() * 10)]).join('');
      const values = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(4 + Math.floor(next() * 8)));
      let output = '';
      while (output.length < 600) {
        const r = next();
        output += r < 0.3 ? (values[Math.floor(next() * values.length)] ?? '') : r < 0.5 ? (codes[Math.floor(next() * codes.length)] ?? '') : pick(1 + Math.floor(next() * 3));
      }
      const bytes = Buffer.from(output);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(next() * 80);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(mask(values, chunks)).toBe(mask(values, [bytes]));
    }
  });

  it('never splits a multi-byte character: masked output is valid UTF-8 and equals masking the text (seeded)', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    // Characters of 1 to 4 bytes whose encodings share lead and continuation bytes.
    const alphabet = ['a', 'é', 'è', 'ê', 'É', '€', '₤', '日', '本', '🔑', '🔒', '\x1b[31m', '\x1b[0m'];
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const pick = (length: number): string => Array.from({ length }, () => alphabet[Math.floor(next() * 11)]).join('');
      const values = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(2 + Math.floor(next() * 4)));
      let output = '';
      while (output.length < 200) output += next() < 0.3 ? (values[Math.floor(next() * values.length)] ?? '') : (alphabet[Math.floor(next() * alphabet.length)] ?? '');
      const bytes = Buffer.from(output);
      const cut = Math.floor(next() * bytes.length);
      const masked = mask(values, [bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(() => decoder.decode(Buffer.from(masked))).not.toThrow();
      expect(masked).toBe(maskText(values, output));
    }
  });

  it('does not take a value for the first bytes of a longer character', () => {
    // 'é' is C3 A9 and 'ê' C3 AA: the same lead byte, never a match of the other.
    expect(mask(['aaé€'], ['aaê€ aaé€ aa€'])).toBe(`aaê€ ${M} aa€`);
    expect(mask(['🔑🔑'], ['🔒🔑🔑🔒'])).toBe(`🔒${M}🔒`);
  });
});

// Leftmost-longest replacement over the text, character by character: what masking bytes must
// amount to for UTF-8 text without escape sequences.
function maskText(values: string[], text: string): string {
  const needles = [...new Set(values)].filter((value) => Buffer.byteLength(value) >= 4).sort((a, b) => b.length - a.length);
  let out = '';
  for (let at = 0; at < text.length; ) {
    const found = needles.find((needle) => text.startsWith(needle, at));
    if (found === undefined) {
      out += text[at];
      at += 1;
    } else {
      out += M;
      at += found.length;
    }
  }
  return out;
}

describe('renderGithubMasks', () => {
  it('prints one add-mask per line, escaping workflow-command data', () => {
    expect(renderGithubMasks(['plain', 'aaaa\nb%cd', 'plain', ''])).toBe('::add-mask::plain\n::add-mask::aaaa\n::add-mask::b%25cd\n');
  });

  it('registers no line shorter than the runner masks itself (4 bytes), so `yes` stays readable in later steps', () => {
    expect(renderGithubMasks(['yes', '80', 'a\nb', 'éé', '€', 'long-enough\nno'])).toBe('::add-mask::éé\n::add-mask::long-enough\n');
    for (const value of ['yes', '80', 'éé', 'abcd']) {
      expect(renderGithubMasks([value]) !== '').toBe(buildMaskNeedles([value]).length > 0);
    }
  });
});
