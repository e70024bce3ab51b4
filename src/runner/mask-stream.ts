import { Transform } from 'node:stream';

// What a secret value becomes in masked output.
export const maskReplacement = '<concealed by secretrun>';

// Values shorter than this are not masked: masking `1` or `yes` would shred ordinary output
// while hiding nothing an attacker could not guess.
export const minMaskLength = 4;

// The byte strings to mask: each value and, for multi-line values, each line (programs often
// print such values line by line), at least minMaskLength bytes, longest first.
export function buildMaskNeedles(values: readonly string[]): Buffer[] {
  const texts = new Set<string>();
  for (const value of values) {
    texts.add(value);
    if (/[\r\n]/.test(value)) for (const line of value.split(/\r?\n/)) texts.add(line);
  }
  return [...texts]
    .map((text) => Buffer.from(text, 'utf8'))
    .filter((needle) => needle.length >= minMaskLength)
    .sort((a, b) => b.length - a.length);
}

// The matching core, separate from streams so it is easy to reason about: replaces every
// complete needle in `buf` and reports where a possible needle prefix starts at the end.
function maskBuffer(buf: Buffer, byFirstByte: Map<number, Buffer[]>, final: boolean): { out: Buffer[]; held: Buffer } {
  const out: Buffer[] = [];
  const replacement = Buffer.from(maskReplacement);
  let emitted = 0;
  let index = 0;
  scan: while (index < buf.length) {
    const candidates = byFirstByte.get(buf[index] ?? -1);
    if (candidates) {
      for (const needle of candidates) {
        const remaining = buf.length - index;
        if (remaining < needle.length) {
          // Longest first: a longer value that may still complete wins over a shorter match.
          if (!final && buf.compare(needle, 0, remaining, index, buf.length) === 0) {
            out.push(buf.subarray(emitted, index));
            return { out, held: Buffer.from(buf.subarray(index)) };
          }
          continue;
        }
        if (buf.compare(needle, 0, needle.length, index, index + needle.length) === 0) {
          out.push(buf.subarray(emitted, index), replacement);
          index += needle.length;
          emitted = index;
          continue scan;
        }
      }
    }
    index += 1;
  }
  out.push(buf.subarray(emitted));
  return { out, held: Buffer.alloc(0) };
}

// A stream that replaces secret values with maskReplacement, also when a value is split
// across chunks. It holds back only bytes that could still be the start of a value, so
// ordinary output passes at once without timers; held bytes are flushed at the end.
export function createMaskStream(values: readonly string[]): Transform {
  const byFirstByte = new Map<number, Buffer[]>();
  for (const needle of buildMaskNeedles(values)) {
    const first = needle[0] ?? 0;
    byFirstByte.set(first, [...(byFirstByte.get(first) ?? []), needle]);
  }
  let held: Buffer = Buffer.alloc(0);
  const push = (stream: Transform, parts: Buffer[]): void => {
    const data = Buffer.concat(parts);
    if (data.length > 0) stream.push(data);
  };
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const input = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const result = maskBuffer(held.length > 0 ? Buffer.concat([held, input]) : input, byFirstByte, false);
      held = result.held;
      push(this, result.out);
      callback();
    },
    flush(callback) {
      push(this, maskBuffer(held, byFirstByte, true).out);
      held = Buffer.alloc(0);
      callback();
    },
  });
}
