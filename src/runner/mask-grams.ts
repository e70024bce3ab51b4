// An index of the values by 4-byte grams, for finding occurrences without reading every byte.
// Exactly one position in every `stride` (at most shortest - 3) is sampled, so an occurrence of
// a value of length L at p has one sample in any `stride` consecutive positions of it: the one
// in its last window, p+L-stride-3 .. p+L-4, reads a gram lying within the value's last bytes.
// The last bytes rather than the first: secrets often share their first bytes (`ghp_`, `sk-`,
// `AKIA`, `-----BEGIN`) and output often holds values' beginnings (a truncated token, a value
// being typed), each of which would otherwise be a candidate to compare; a value's end is what
// only its whole occurrence holds (bench/runner.mjs, near matches: docs/runner.md).
// Those grams are kept twice: in a hashed bit set, which nearly all ordinary output misses, and
// in an exact table listing each gram's (value, offset) pairs, the candidates to compare.

// The values, their first grams, and how often output must be sampled to see one.
export interface MaskGrams {
  /** Distance between sampled positions. */
  readonly stride: number;
  /** Bit set indexed by a gram's hash: 0 means no value has that gram. */
  readonly bits: Int32Array;
  /** 32 - log2(number of bits). */
  readonly shift: number;
  /**
   * Open-addressed table of 4 numbers per slot: the gram, its number of candidates (0: empty
   * slot), the first candidate, and scratch for building; then 3 numbers per candidate: the gram's offset in its value,
   * where the value's bytes start in `bytes`, its length. Interleaved, a sample that finds a
   * candidate reads two cache lines of the table rather than six arrays.
   * A gram of one candidate (most) holds it in its slot instead: -1 - its offset in the value
   * (a negative count), where the value's bytes start, and its last byte and length packed (see
   * packCandidate), so a near miss is told from the slot alone, without reading the candidates
   * or the value.
   */
  readonly slots: Int32Array;
  readonly candidates: Int32Array;
  readonly slotMask: number;
  /** 32 - log2(number of slots): a slot is the hash's high bits. */
  readonly slotShift: number;
  /** Every value's bytes back to back. */
  readonly bytes: Uint8Array;
  /** The largest offset of an indexed gram in its value: how far before a sample a value may begin. */
  readonly reach: number;
}

// Gram length: four bytes read as one 32-bit number.
export const gramLength = 4;

// Below this stride sampling costs about what running the automaton over every byte does
// (bench/runner.mjs), so there is no index.
const minStride = 4;

// Longer strides save little more reading, and each value indexes one gram per position of a stride.
const maxStride = 32;

// A candidate's last byte (8 bits) and length (23 bits) in one number, for values under 8 MiB.
const maxPackedLength = 2 ** 23;
export function packCandidate(last: number, length: number): number {
  return last | (length << 8);
}

// Multiplicative hashing (Knuth): the high bits of gram × 2^32/φ.
export const gramMultiplier = 0x9e3779b1;

// The index for these values, or undefined when the shortest is too short for sampling to pay.
export function buildMaskGrams(values: readonly Uint8Array[]): MaskGrams | undefined {
  if (values.length === 0) return undefined;
  const shortest = Math.min(...values.map((value) => value.length));
  const stride = Math.min(maxStride, shortest - gramLength + 1);
  if (stride < minStride) return undefined;
  // About 64 bits per gram keeps false hits near 1 in 64 samples; 2^12 .. 2^23 bits (1 MiB).
  const count = values.length * stride;
  const log = Math.min(23, Math.max(12, Math.ceil(Math.log2(count)) + 6));
  const bits = new Int32Array(2 ** (log - 5));
  const shift = 32 - log;
  const valueBase = new Int32Array(values.length);
  // Where each value's window of indexed grams begins: its last `stride` grams.
  const windowStart = new Int32Array(values.length);
  let total = 0;
  let reach = 0;
  values.forEach((value, index) => {
    valueBase[index] = total;
    total += value.length;
    windowStart[index] = value.length - stride - gramLength + 1;
    reach = Math.max(reach, value.length - gramLength);
  });
  const bytes = new Uint8Array(total);
  values.forEach((value, index) => bytes.set(value, valueBase[index]));
  // Typed arrays and two passes over the grams (count per slot, then place the candidates)
  // rather than a map of lists, the hash inlined, and the slots in use listed so that no pass
  // reads the whole table: this runs once per run, before V8 has optimised anything, and with
  // 1,000 values it was a third of a masked run's fixed cost (bench/runner.mjs masking).
  const slotLog = Math.ceil(Math.log2(2 * count + 1));
  const slotShift = 32 - slotLog;
  const slotMask = 2 ** slotLog - 1;
  const slots = new Int32Array(4 * (slotMask + 1));
  const slotOf = new Int32Array(count);
  const used = new Int32Array(count);
  let usedCount = 0;
  const view = new DataView(bytes.buffer);
  const multiplier = gramMultiplier;
  for (let index = 0, k = 0; index < values.length; index++) {
    const from = valueBase[index]! + windowStart[index]!;
    for (let at = from, end = from + stride; at < end; at++, k++) {
      const gram = view.getInt32(at, true);
      const mixed = Math.imul(gram, multiplier);
      const hash = mixed >>> shift;
      bits[hash >>> 5] = bits[hash >>> 5]! | (1 << (hash & 31));
      let slot = mixed >>> slotShift;
      while (slots[4 * slot + 1] !== 0 && slots[4 * slot] !== gram) slot = (slot + 1) & slotMask;
      if (slots[4 * slot + 1] === 0) used[usedCount++] = slot;
      slots[4 * slot] = gram;
      slots[4 * slot + 1] = slots[4 * slot + 1]! + 1;
      slotOf[k] = slot;
    }
  }
  let first = 0;
  for (let u = 0; u < usedCount; u++) {
    const slot = used[u]!;
    slots[4 * slot + 2] = first;
    first += 3 * slots[4 * slot + 1]!;
  }
  const candidates = new Int32Array(3 * count);
  for (let index = 0, k = 0; index < values.length; index++) {
    for (let at = 0; at < stride; at++, k++) {
      const cell = 4 * slotOf[k]!;
      const place = slots[cell + 3]!;
      slots[cell + 3] = place + 3;
      const c = slots[cell + 2]! + place;
      candidates[c] = windowStart[index]! + at;
      candidates[c + 1] = valueBase[index]!;
      candidates[c + 2] = values[index]!.length;
    }
  }
  for (let u = 0; u < usedCount; u++) {
    const cell = 4 * used[u]!;
    if (slots[cell + 1] !== 1) continue;
    const c = slots[cell + 2]!;
    const base = candidates[c + 1]!;
    const length = candidates[c + 2]!;
    if (length >= maxPackedLength) continue;
    slots[cell + 1] = -1 - candidates[c]!;
    slots[cell + 2] = base;
    slots[cell + 3] = packCandidate(bytes[base + length - 1]!, length);
  }
  return { stride, bits, shift, slots, candidates, slotMask, slotShift, bytes, reach };
}
