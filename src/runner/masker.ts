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

const replacement = Buffer.from(maskReplacement);

// Replaces every complete needle in `buf` and reports where a possible needle prefix starts
// at the end (unless `final`, when nothing more can complete it).
function maskBuffer(buf: Buffer, byFirstByte: Map<number, Buffer[]>, final: boolean): { out: Buffer[]; held: Buffer } {
  const out: Buffer[] = [];
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

// Masks one output stream, chunk by chunk: `write` returns what may be shown now, holding
// back only bytes that could still be the start of a value (so ordinary output passes at
// once, without timers); `end` returns the held bytes once nothing more can follow.
export interface Masker {
  write(chunk: Buffer): Buffer;
  end(): Buffer;
}

// A masker for these secret values; one per stream, since it holds state between chunks.
export function createMasker(values: readonly string[]): Masker {
  const byFirstByte = new Map<number, Buffer[]>();
  for (const needle of buildMaskNeedles(values)) {
    const first = needle[0] ?? 0;
    byFirstByte.set(first, [...(byFirstByte.get(first) ?? []), needle]);
  }
  let held: Buffer = Buffer.alloc(0);
  return {
    write(chunk) {
      const result = maskBuffer(held.length > 0 ? Buffer.concat([held, chunk]) : chunk, byFirstByte, false);
      held = result.held;
      return Buffer.concat(result.out);
    },
    end() {
      const rest = Buffer.concat(maskBuffer(held, byFirstByte, true).out);
      held = Buffer.alloc(0);
      return rest;
    },
  };
}
