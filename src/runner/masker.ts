import { buildMaskAutomaton } from './mask-automaton.js';
import type { MaskAutomaton } from './mask-automaton.js';
import { buildMaskGrams } from './mask-grams.js';
import type { MaskGrams } from './mask-grams.js';
import { planMasking, type MaskPlan } from './mask-scan.js';
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
// once, without timers); `end` returns the held bytes once nothing more can follow. What
// comes back is a list of pieces, in order: a chunk without values is passed on as slices of
// itself, never copied (copying every chunk behind held bytes cost a sixth of masking's time).
export interface Masker {
  write(chunk: Buffer): Buffer[];
  end(): Buffer[];
}

// Whether any of these values is long enough to be masked: with none, output needs no masker.
export function hasMaskableValue(values: readonly string[]): boolean {
  return values.some((value) => Buffer.byteLength(value) >= minMaskLength);
}

// The last maxEscapeLookBehind bytes of the stream up to the end of `bytes`, `before` being
// those before it.
function lastBytes(before: Buffer, bytes: Buffer): Buffer {
  return bytes.length >= maxEscapeLookBehind ? bytes.subarray(bytes.length - maxEscapeLookBehind) : Buffer.concat([before, bytes]).subarray(-maxEscapeLookBehind);
}

// Appends to `out` the pieces of `bytes` from `from` up to `to`, with the matches starting
// before `to` replaced; returns where the last replacement ended (past `to` when a value runs
// on). `before` holds the stream's bytes before `bytes`, and `view` is `bytes` or a longer
// buffer beginning with it, for a colour code that a match begins inside (kept whole).
function emit(bytes: Buffer, view: Buffer, plan: MaskPlan, from: number, to: number, before: Buffer, out: Buffer[]): number {
  let emitted = from;
  for (let index = 0; index < plan.starts.length && plan.starts[index]! < to; index++) {
    const start = plan.starts[index]!;
    const end = start + plan.lengths[index]!;
    // A colour code the match begins inside is kept whole; a match wholly inside one is no text.
    const at = replacementStart(before, view, start);
    if (at >= end) continue;
    // From `view`: a code that began in held bytes may end in the chunk after them.
    if (at > emitted) out.push(view.subarray(emitted, at));
    out.push(replacement);
    emitted = end;
  }
  if (to > emitted) out.push(bytes.subarray(emitted, to));
  return emitted;
}

// Pieces are handed on as they are, written together (corked, one writev): joining them
// copied the whole chunk whenever it held a value, a sixth of masking's time on output with a
// value in most chunks (bench/runner.mjs, near matches). Output with many values in one chunk
// is joined: each piece costs a stream a few objects, more than copying a short one.
const maxPieces = 32;
function settle(out: Buffer[]): Buffer[] {
  return out.length > maxPieces ? [Buffer.concat(out)] : out;
}

// A masker for these secret values; one per stream, since it holds state between chunks.
export function createMasker(values: readonly string[]): Masker {
  // Built on the first output: a quiet command (or one that exits at once) never pays for it.
  let matcher: Matcher | undefined;
  let held: Buffer = Buffer.alloc(0);
  // The last bytes of the stream before the held ones (not copied when a write is long: output
  // buffers are not reused), for an escape sequence that a chunk boundary cut (escape-boundary.ts).
  let previous: Buffer = Buffer.alloc(0);
  // Masks `bytes` (held bytes and a chunk, or a chunk alone) as one buffer.
  const whole = (bytes: Buffer, final: boolean): Buffer[] => {
    const { automaton, grams } = matcher as Matcher;
    const plan = planMasking(automaton, grams, bytes, final);
    const out: Buffer[] = [];
    emit(bytes, bytes, plan, 0, plan.holdFrom, previous, out);
    previous = lastBytes(previous, bytes.subarray(0, plan.holdFrom));
    held = Buffer.from(bytes.subarray(plan.holdFrom));
    return settle(out);
  };
  // Masks held bytes followed by a chunk at least twice the longest value, without joining
  // them: a value that begins in the held bytes ends within the chunk's first `maxLength`
  // bytes, so those alone are joined to the held ones to settle the values that begin there;
  // the chunk is then masked on its own from where they end.
  const joined = (chunk: Buffer): Buffer[] => {
    const { automaton, grams } = matcher as Matcher;
    const first = held;
    const joint = Buffer.concat([first, chunk.subarray(0, automaton.maxLength)]);
    const early = planMasking(automaton, grams, joint, true);
    const out: Buffer[] = [];
    const cursor = emit(first, joint, early, 0, first.length, previous, out);
    const beforeChunk = lastBytes(previous, first);
    const from = Math.max(0, cursor - first.length);
    const plan = planMasking(automaton, grams, chunk, false, from);
    emit(chunk, chunk, plan, from, plan.holdFrom, beforeChunk, out);
    previous = lastBytes(beforeChunk, chunk.subarray(0, plan.holdFrom));
    held = Buffer.from(chunk.subarray(plan.holdFrom));
    return settle(out);
  };
  return {
    write(chunk) {
      if (chunk.length === 0) return [];
      matcher ??= matcherFor(values);
      if (matcher.automaton.size === 1) return [chunk];
      if (held.length === 0) return whole(chunk, false);
      if (chunk.length >= 2 * matcher.automaton.maxLength) return joined(chunk);
      return whole(Buffer.concat([held, chunk]), false);
    },
    end() {
      if (held.length === 0) return [];
      matcher ??= matcherFor(values);
      return whole(held, true);
    },
  };
}
