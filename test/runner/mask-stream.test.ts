import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { buildMaskNeedles, createMaskStream, maskReplacement } from '../../src/runner/mask-stream.js';
import { renderGithubMasks } from '../../src/runner/github-mask.js';

const M = maskReplacement;

async function mask(values: string[], chunks: (string | Buffer)[]): Promise<string> {
  return text(Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(createMaskStream(values)));
}

describe('createMaskStream', () => {
  it('masks every occurrence, longest value first', async () => {
    expect(await mask(['hunter22', 'hunter22-long'], ['a hunter22 b hunter22-long c'])).toBe(`a ${M} b ${M} c`);
  });

  it('masks a value split at every possible chunk boundary, including multi-byte characters', async () => {
    const value = 'pässwörd-✓-42';
    const output = `x ${value} y ${value}`;
    const bytes = Buffer.from(output);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(await mask([value], [bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(`x ${M} y ${M}`);
    }
    expect(await mask([value], [...bytes].map((byte) => Buffer.from([byte])))).toBe(`x ${M} y ${M}`);
  });

  it('does not let a shorter value win while a longer one may still complete', async () => {
    expect(await mask(['abcd', 'abcdefgh'], ['xx abcd', 'efgh yy'])).toBe(`xx ${M} yy`);
  });

  it('passes output through at once when it cannot be the start of a value', async () => {
    const stream = createMaskStream(['s3cr3t-value']);
    const seen: string[] = [];
    stream.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    stream.write('hello s3c');
    stream.write('ret world ');
    expect(seen.join('')).toBe('hello s3cret world ');
    stream.write('s3cr3t');
    expect(seen.join('')).toBe('hello s3cret world ');
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(seen.join('')).toBe('hello s3cret world s3cr3t');
  });

  it('skips values shorter than 4 bytes and masks each line of multi-line values', async () => {
    expect(buildMaskNeedles(['abc', 'line-one\nline-two', ''])).toEqual([Buffer.from('line-one\nline-two'), Buffer.from('line-one'), Buffer.from('line-two')]);
    expect(await mask(['abc', 'line-one\nline-two'], ['abc line-one\r\nline-two'])).toBe(`abc ${M}\r\n${M}`);
  });
});

describe('renderGithubMasks', () => {
  it('prints one add-mask per line, escaping workflow-command data', () => {
    expect(renderGithubMasks(['plain', 'a\nb%c', 'plain', ''])).toBe('::add-mask::plain\n::add-mask::a\n::add-mask::b%25c\n');
  });
});
