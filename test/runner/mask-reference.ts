import { buildMaskNeedles, maskReplacement } from '../../src/runner/masker.js';

// The masker as it was before the automaton: plain and obviously right, slow on long or
// hostile output. Differential tests hold the automaton to its every write() result.
export function createReferenceMasker(values: readonly string[]): { write(chunk: Buffer): Buffer; end(): Buffer } {
  const needles = buildMaskNeedles(values);
  const replacement = Buffer.from(maskReplacement);
  let held = Buffer.alloc(0);
  const mask = (buf: Buffer, final: boolean): Buffer => {
    const out: Buffer[] = [];
    let emitted = 0;
    let index = 0;
    scan: while (index < buf.length) {
      for (const needle of needles) {
        const remaining = buf.length - index;
        if (remaining < needle.length) {
          if (!final && buf.compare(needle, 0, remaining, index, buf.length) === 0) {
            out.push(buf.subarray(emitted, index));
            held = Buffer.from(buf.subarray(index));
            return Buffer.concat(out);
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
      index += 1;
    }
    out.push(buf.subarray(emitted));
    held = Buffer.alloc(0);
    return Buffer.concat(out);
  };
  return {
    write: (chunk) => mask(Buffer.concat([held, chunk]), false),
    end: () => mask(held, true),
  };
}
