import { buildMaskAutomaton } from './mask-automaton.js';
import type { MaskAutomaton } from './mask-automaton.js';
import { buildMaskGrams } from './mask-grams.js';
import type { MaskGrams } from './mask-grams.js';
import { planMasking } from './mask-scan.js';
import { maxEscapeLookBehind, replacementStart } from './escape-boundary.js';

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

// The matcher for one set of values. The runner masks stdout and stderr with the same values,
// so the last one built is kept rather than built twice.
interface Matcher {
  readonly values: readonly string[];
  readonly automaton: MaskAutomaton;
  readonly grams: MaskGrams | undefined;
}
let lastMatcher: Matcher | undefined;

function matcherFor(values: readonly string[]): Matcher {
  if (lastMatcher?.values === values) return lastMatcher;
  const needles = buildMaskNeedles(values);
  lastMatcher = { values, automaton: buildMaskAutomaton(needles), grams: buildMaskGrams(needles) };
  return lastMatcher;
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
  // Built on the first output: a quiet command (or one that exits at once) never pays for it.
  let matcher: Matcher | undefined;
  let held: Buffer = Buffer.alloc(0);
  // The last bytes let out before this write (not copied when a write is long: output buffers
  // are not reused), for an escape sequence that a chunk boundary cut (escape-boundary.ts).
  let previous: Buffer = Buffer.alloc(0);
  const mask = (bytes: Buffer, final: boolean): Buffer => {
    if (bytes.length === 0) return bytes;
    matcher ??= matcherFor(values);
    const { automaton, grams } = matcher;
    if (automaton.size === 1) return bytes;
    const plan = planMasking(automaton, grams, bytes, final);
    held = plan.holdFrom < bytes.length ? Buffer.from(bytes.subarray(plan.holdFrom)) : Buffer.alloc(0);
    const before = previous;
    previous =
      plan.holdFrom >= maxEscapeLookBehind
        ? bytes.subarray(plan.holdFrom - maxEscapeLookBehind, plan.holdFrom)
        : Buffer.concat([before, bytes.subarray(0, plan.holdFrom)]).subarray(-maxEscapeLookBehind);
    // Ordinary output comes back as it came, without a copy.
    if (plan.starts.length === 0) return plan.holdFrom === bytes.length ? bytes : bytes.subarray(0, plan.holdFrom);
    const parts: Buffer[] = [];
    let emitted = 0;
    plan.starts.forEach((start, index) => {
      const end = start + (plan.lengths[index] ?? 0);
      // A colour code the match begins inside is kept whole; a match wholly inside one is no text.
      const from = replacementStart(before, bytes, start);
      if (from >= end) return;
      parts.push(bytes.subarray(emitted, from), replacement);
      emitted = end;
    });
    parts.push(bytes.subarray(emitted, plan.holdFrom));
    return Buffer.concat(parts);
  };
  return {
    write(chunk) {
      return mask(held.length > 0 ? Buffer.concat([held, chunk]) : chunk, false);
    },
    end() {
      return mask(held, true);
    },
  };
}
