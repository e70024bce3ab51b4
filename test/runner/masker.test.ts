import { describe, expect, it } from 'vitest';
import { buildMaskNeedles, createMasker, maskReplacement } from '../../src/runner/masker.js';
import { renderGithubMasks } from '../../src/runner/github-mask.js';

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

describe('renderGithubMasks', () => {
  it('prints one add-mask per line, escaping workflow-command data', () => {
    expect(renderGithubMasks(['plain', 'a\nb%c', 'plain', ''])).toBe('::add-mask::plain\n::add-mask::a\n::add-mask::b%25c\n');
  });
});
