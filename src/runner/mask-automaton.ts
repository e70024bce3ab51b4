// An Aho–Corasick automaton over bytes, in typed arrays, for finding many secret values in one
// pass whatever the output. States are the trie's nodes numbered in depth-first order, so a
// value's bytes are consecutive states (the usual step is `state + 1`, through memory in
// order). The root and the states one byte deep, where output spends most of its time, have
// dense rows of 256 complete transitions; deeper states keep their children (the first is
// state + 1, the others linked as siblings) and a failure link, which the search follows (at
// most as many failure steps as bytes in all). Memory grows with the values' total length,
// never with 256 times it: a dense table for 1,000 values was 40 MB and, missing the caches,
// slower than this on hostile output (docs/runner.md, Masking). The builder uses typed arrays
// and no per-state objects: it runs once per run, before V8 has optimised anything.

// The automaton for a set of byte strings. Read-only once built.
export interface MaskAutomaton {
  /** Number of states; state 0 is the root. */
  readonly size: number;
  /** Length of the longest string (0 for none). */
  readonly maxLength: number;
  /** Bytes from the root to the state. */
  readonly depth: Int32Array;
  /** The byte leading to the state from its parent (-1 for the root). */
  readonly byte: Int16Array;
  /** The state of the longest proper suffix that is also a prefix of some string. */
  readonly fail: Int32Array;
  /** The byte leading to state + 1 (the first child), or -1 for a leaf. */
  readonly firstChild: Int16Array;
  /** The parent's next child after this state, or -1. */
  readonly sibling: Int32Array;
  /** For the root and states one byte deep: offset in `rows` of 256 complete transitions, else -1. */
  readonly row: Int32Array;
  readonly rows: Int32Array;
  /** Bit 1: some string ends here (the state's own or a suffix's); bit 2: the state has children. */
  readonly flags: Uint8Array;
  /** 1 where a string ends exactly at the state. */
  readonly terminal: Uint8Array;
  /** The next state along the failure chain where a string ends, or -1. */
  readonly nextOutput: Int32Array;
}

// Flag bits of MaskAutomaton.flags.
export const endsHere = 1;
export const hasChildren = 2;

// Builds the automaton for these strings (duplicates and the empty string are ignored). Pure.
export function buildMaskAutomaton(strings: readonly Uint8Array[]): MaskAutomaton {
  // Sorted by byte order through latin1 strings (one code unit per byte): Buffer.compare in a
  // sort's callback, crossing into C++ at every comparison, took 25 ms for 1,000 values on the
  // runner's cold start (node --cpu-prof, bench/runner.mjs masking), these keys about 1 ms.
  const keyed = strings.filter((s) => s.length > 0).map((s) => ({ s, key: Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted = keyed.map((entry) => entry.s);
  // Sorted strings make the trie in depth-first order directly: each string shares its longest
  // common prefix with the one before and adds the rest as new states.
  let size = 1;
  let maxLength = 0;
  for (let k = 0; k < sorted.length; k++) {
    const string = sorted[k]!;
    size += string.length - commonPrefix(sorted[k - 1], string);
    maxLength = Math.max(maxLength, string.length);
  }
  const parent = new Int32Array(size);
  const byte = new Int16Array(size).fill(-1);
  const depth = new Int32Array(size);
  const firstChild = new Int16Array(size).fill(-1);
  const sibling = new Int32Array(size).fill(-1);
  const lastChild = new Int32Array(size).fill(-1);
  const terminal = new Uint8Array(size);
  const path = new Int32Array(maxLength + 1);
  let next = 1;
  for (let k = 0; k < sorted.length; k++) {
    const string = sorted[k]!;
    for (let i = commonPrefix(sorted[k - 1], string); i < string.length; i++) {
      const from = path[i]!;
      const state = next++;
      const b = string[i]!;
      parent[state] = from;
      byte[state] = b;
      depth[state] = i + 1;
      if (firstChild[from] === -1) firstChild[from] = b;
      else sibling[lastChild[from]!] = state;
      lastChild[from] = state;
      path[i + 1] = state;
    }
    terminal[path[string.length]!] = 1;
  }
  return finish({ size, maxLength, parent, byte, depth, firstChild, sibling, terminal });
}

function commonPrefix(a: Uint8Array | undefined, b: Uint8Array): number {
  if (a === undefined) return 0;
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common += 1;
  return common;
}

interface Trie {
  size: number;
  maxLength: number;
  parent: Int32Array;
  byte: Int16Array;
  depth: Int32Array;
  firstChild: Int16Array;
  sibling: Int32Array;
  terminal: Uint8Array;
}

// Adds failure links, dense rows and output links to a trie, visiting states by depth.
function finish(trie: Trie): MaskAutomaton {
  const { size, depth, firstChild, terminal } = trie;
  const byDepth = statesByDepth(depth, size, trie.maxLength);
  let shallow = 0;
  while (shallow < size && depth[byDepth[shallow]!]! <= 1) shallow += 1;
  const row = new Int32Array(size).fill(-1);
  const rows = new Int32Array(shallow * 256);
  const fail = new Int32Array(size);
  const nextOutput = new Int32Array(size).fill(-1);
  const flags = new Uint8Array(size);
  const automaton: MaskAutomaton = {
    size, maxLength: trie.maxLength, depth, byte: trie.byte, fail, firstChild, sibling: trie.sibling, row, rows, flags, terminal, nextOutput,
  };
  for (let index = 0; index < shallow; index++) {
    const state = byDepth[index]!;
    const offset = index * 256;
    row[state] = offset;
    // A complete row: the child on a byte that has one, else where the failure (the root) goes.
    if (state !== 0) rows.copyWithin(offset, 0, 256);
    for (let child = firstChild[state] === -1 ? -1 : state + 1; child !== -1; child = trie.sibling[child]!) rows[offset + trie.byte[child]!] = child;
  }
  // step() inlined, its arrays locals: this loop visits every state once, cold (see above).
  const { parent, byte, sibling } = trie;
  for (let index = 1; index < size; index++) {
    const state = byDepth[index]!;
    const from = parent[state]!;
    let f = 0;
    if (from !== 0) {
      const b = byte[state]!;
      for (let s = fail[from]!; ; s = fail[s]!) {
        const r = row[s]!;
        if (r >= 0) {
          f = rows[r + b]!;
          break;
        }
        if (firstChild[s] === b) {
          f = s + 1;
          break;
        }
        let child = firstChild[s] === -1 ? -1 : sibling[s + 1]!;
        while (child !== -1 && byte[child] !== b) child = sibling[child]!;
        if (child !== -1) {
          f = child;
          break;
        }
      }
    }
    fail[state] = f;
    nextOutput[state] = terminal[f] === 1 ? f : nextOutput[f]!;
    flags[state] = (terminal[state] === 1 || nextOutput[state]! >= 0 ? endsHere : 0) | (firstChild[state] === -1 ? 0 : hasChildren);
  }
  flags[0] = firstChild[0] === -1 ? 0 : hasChildren;
  return automaton;
}

// States ordered by depth (a counting sort), the root first.
function statesByDepth(depth: Int32Array, size: number, maxLength: number): Int32Array {
  const start = new Int32Array(maxLength + 2);
  for (let state = 0; state < size; state++) start[depth[state]! + 1]! += 1;
  for (let d = 1; d <= maxLength + 1; d++) start[d]! += start[d - 1]!;
  const order = new Int32Array(size);
  for (let state = 0; state < size; state++) order[start[depth[state]!]!++] = state;
  return order;
}

// The state after reading byte `b` in `state`. The scanning loop in mask-scan.ts inlines the same steps.
export function step(automaton: MaskAutomaton, state: number, b: number): number {
  const { row, rows, firstChild, sibling, byte, fail } = automaton;
  let s = state;
  for (;;) {
    const r = row[s]!;
    if (r >= 0) return rows[r + b]!;
    if (firstChild[s] === b) return s + 1;
    if (firstChild[s] !== -1) {
      for (let child = sibling[s + 1]!; child !== -1; child = sibling[child]!) if (byte[child] === b) return child;
    }
    s = fail[s]!;
  }
}
