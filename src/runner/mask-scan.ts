import { endsHere, hasChildren } from './mask-automaton.js';
import type { MaskAutomaton } from './mask-automaton.js';
import { gramLength, gramMultiplier } from './mask-grams.js';
import type { MaskGrams } from './mask-grams.js';

// What to replace in a buffer: non-overlapping [start, start + length) ranges in order, chosen
// as the old masker did (at the leftmost position where a value matches, the longest value
// there; then on after it), and where to hold back the rest because a value may continue in
// the next chunk.
export interface MaskPlan {
  readonly starts: number[];
  readonly lengths: number[];
  /** Bytes from here on are held back (buffer length when nothing is). */
  readonly holdFrom: number;
}

// Per-scan state: the longest match starting at each position (0: none) and those positions.
// `longest` is shared scratch, zero except at `starts` between scans: allocating and zeroing a
// buffer-sized array for every chunk cost more than scanning typical output.
let scratch = new Int32Array(0);
interface Found {
  longest: Int32Array;
  starts: number[];
  state: number;
}

// Comparisons allowed per byte of output before the automaton takes over the rest of a buffer.
// Values rarely share grams, so a candidate costs a few comparisons; output crafted against
// values that repeat themselves (`aaaa…b`) could make comparing quadratic, the automaton never.
const comparisonsPerByte = 4;

// Plans the masking of `bytes`. `final`: no more output follows, so nothing is held back.
// `from`: bytes before it are already covered (by a value that began in earlier output), so
// matches are chosen from there on. Linear in the buffer's length whatever it holds. No state
// is kept between calls.
export function planMasking(automaton: MaskAutomaton, grams: MaskGrams | undefined, bytes: Uint8Array, final: boolean, from = 0): MaskPlan {
  const n = bytes.length;
  if (scratch.length < n) scratch = new Int32Array(Math.max(n, 2 * scratch.length));
  const found: Found = { longest: scratch, starts: [], state: 0 };
  // Where the automaton read from the root to the end of the buffer; n when it did not.
  let readFrom = n;
  if (grams === undefined) {
    readFrom = 0;
  } else {
    const from = findByGrams(grams, bytes, found, comparisonsPerByte * n + n);
    if (from < n) readFrom = from;
  }
  // A value cut off by the end of the buffer is shorter than sampling can see: the automaton
  // reads the last bytes (or everything from where comparing stopped paying).
  const tail = final ? n : Math.max(0, n - automaton.maxLength + 1);
  run(automaton, bytes, Math.min(readFrom, tail), n, found);
  const plan = select(automaton, found, n, final, from);
  for (const start of found.starts) found.longest[start] = 0;
  return plan;
}

// Samples the output and compares the candidates of each sampled gram, recording whole
// occurrences. Returns n, or the position from which the automaton must read instead, once
// comparing has cost more than `budget`.
function findByGrams(grams: MaskGrams, bytes: Uint8Array, found: Found, budget: number): number {
  const n = bytes.length;
  const { stride, bits, shift, slots, candidates, slotMask, slotShift } = grams;
  const values = grams.bytes;
  // The hash inlined, its multiplier a local: called through a function, with the multiplier
  // (not a small integer) read from the module's scope at each sample, sampling ran 20-30%
  // slower (bench/runner.mjs, masker alone).
  const multiplier = gramMultiplier;
  let spent = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Module-level constants are read from the module's scope at each use: locals (this bound,
  // the multiplier above) keep them in registers.
  const lastSample = n - gramLength;
  for (let at = stride - 1; at <= lastSample; at += stride) {
    const gram = view.getInt32(at, true);
    const mixed = Math.imul(gram, multiplier);
    const hash = mixed >>> shift;
    if ((bits[hash >>> 5]! & (1 << (hash & 31))) === 0) continue;
    let slot = (mixed >>> slotShift) << 2;
    while (slots[slot + 1] !== 0 && slots[slot] !== gram) slot = (slot + 4) & ((slotMask << 2) | 3);
    const count = slots[slot + 1]!;
    if (count < 0) {
      // One candidate, in the slot: the last byte first, so a near miss fails here.
      const packed = slots[slot + 3]!;
      const length = packed >>> 8;
      const start = at + 1 + count;
      spent += 1;
      if (start < 0 || start + length > n || bytes[start + length - 1] !== (packed & 255)) continue;
      spent += compare(bytes, start, values, slots[slot + 2]!, length, found);
    } else {
      for (let c = slots[slot + 2]!, last = c + 3 * count; c < last; c += 3) {
        const start = at - candidates[c]!;
        const base = candidates[c + 1]!;
        const length = candidates[c + 2]!;
        // The last byte first: output that only begins like a value (a near miss) fails here.
        spent += 1;
        if (start < 0 || start + length > n || bytes[start + length - 1] !== values[base + length - 1]) continue;
        spent += compare(bytes, start, values, base, length, found);
      }
    }
    // A value found by a later sample may begin up to `reach` bytes before it.
    if (spent > budget) return Math.max(0, at - grams.reach);
  }
  return n;
}

// Compares the value at values[base, base + length) with the output at `start`, noting it when
// it is there; returns the bytes compared.
function compare(bytes: Uint8Array, start: number, values: Uint8Array, base: number, length: number, found: Found): number {
  let same = 0;
  while (same < length && bytes[start + same] === values[base + same]) same += 1;
  if (same === length) note(found, start, length);
  return same;
}

// Runs the automaton from the root over bytes[from, to), recording every match; the state at
// the end is left in found.state.
function run(automaton: MaskAutomaton, bytes: Uint8Array, from: number, to: number, found: Found): void {
  const { row, rows, firstChild, sibling, byte, fail, flags } = automaton;
  const ends = endsHere;
  let s = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    for (;;) {
      const r = row[s]!;
      if (r >= 0) {
        s = rows[r + b]!;
        break;
      }
      if (firstChild[s] === b) {
        s += 1;
        break;
      }
      const other = firstChild[s] === -1 ? -1 : findSibling(sibling, byte, s + 1, b);
      if (other >= 0) {
        s = other;
        break;
      }
      s = fail[s]!;
    }
    if ((flags[s]! & ends) !== 0) record(automaton, found, i, s);
  }
  found.state = s;
}

// The sibling after `first` reached by byte `b`, or -1.
function findSibling(sibling: Int32Array, byte: Int16Array, first: number, b: number): number {
  for (let child = sibling[first]!; child !== -1; child = sibling[child]!) if (byte[child] === b) return child;
  return -1;
}

// Notes every value ending at byte `i` in state `s`: its own string, then its suffixes'.
function record(automaton: MaskAutomaton, found: Found, i: number, s: number): void {
  for (let t = automaton.terminal[s] === 1 ? s : automaton.nextOutput[s]!; t >= 0; t = automaton.nextOutput[t]!) {
    const length = automaton.depth[t]!;
    note(found, i - length + 1, length);
  }
}

// Notes a value of `length` bytes at `start`, keeping the longest per position.
function note(found: Found, start: number, length: number): void {
  const known = found.longest[start]!;
  if (length <= known) return;
  if (known === 0) found.starts.push(start);
  found.longest[start] = length;
}

// Chooses the matches left to right, longest first at each position, and the hold-back point:
// the first position (not inside a chosen match) where the rest of the buffer is the start of a
// longer value. Before it, every longest match is final; from it on, more output may change them.
function select(automaton: MaskAutomaton, found: Found, n: number, final: boolean, from: number): MaskPlan {
  const starts: number[] = [];
  const lengths: number[] = [];
  const candidates = [...found.starts].sort((a, b) => a - b);
  let cursor = from;
  let limit = final ? n : holdPoint(automaton, found.state, n, from);
  for (const start of candidates) {
    if (start < cursor) continue;
    if (start >= limit) break;
    const length = found.longest[start]!;
    starts.push(start);
    lengths.push(length);
    cursor = start + length;
    if (cursor > limit) limit = holdPoint(automaton, found.state, n, cursor);
  }
  return { starts, lengths, holdFrom: limit };
}

// The first position at or after `from` where bytes up to the end are a proper prefix of a
// value, from the automaton's state at the end (the longest such suffix first), or n.
function holdPoint(automaton: MaskAutomaton, endState: number, n: number, from: number): number {
  for (let s = endState; s !== 0; s = automaton.fail[s]!) {
    const start = n - automaton.depth[s]!;
    if (start >= from && (automaton.flags[s]! & hasChildren) !== 0) return start;
  }
  return n;
}
