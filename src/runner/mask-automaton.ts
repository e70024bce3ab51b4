// An Aho–Corasick automaton over bytes, in typed arrays, for masking many secret values in one
// pass whatever the output. States are the trie's nodes numbered in depth-first order, so a
// value's bytes are consecutive states (the usual step is `state + 1`, through memory in
// order). The root and the states one byte deep, where output spends most of its time, have
// dense rows of 256 complete transitions; deeper states keep their children and a failure
// link, which the search follows (at most as many failure steps as bytes in all). Memory grows
// with the values' total length, never with 256 times it (bench/runner.mjs compares the two).

// The automaton for a set of byte strings. Read-only once built.
export interface MaskAutomaton {
  /** Number of states; state 0 is the root. */
  readonly size: number;
  /** Length of the longest string (0 for none). */
  readonly maxLength: number;
  /** Bytes from the root to the state. */
  readonly depth: Int32Array;
  /** The state of the longest proper suffix that is also a prefix of some string. */
  readonly fail: Int32Array;
  /** The byte leading to state + 1 (the first child), or -1 for a leaf. */
  readonly firstChild: Int16Array;
  /** For states with more children: offset in `edges` of [count, byte, state, byte, state...], else -1. */
  readonly moreChildren: Int32Array;
  readonly edges: Int32Array;
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
  const sorted = strings.filter((s) => s.length > 0).sort((a, b) => Buffer.compare(a, b));
  const total = sorted.reduce((sum, s) => sum + s.length, 0) + 1;
  const parent = new Int32Array(total);
  const byte = new Int16Array(total).fill(-1);
  const depth = new Int32Array(total);
  const firstChild = new Int16Array(total).fill(-1);
  const terminal = new Uint8Array(total);
  const more = new Map<number, number[]>();
  let size = 1;
  let maxLength = 0;
  // Sorted strings make the trie in depth-first order directly: each string shares its longest
  // common prefix with the one before and adds the rest as new states.
  const path = [0];
  let previous: Uint8Array = new Uint8Array(0);
  for (const string of sorted) {
    let common = 0;
    while (common < previous.length && common < string.length && previous[common] === string[common]) common += 1;
    path.length = common + 1;
    for (let i = common; i < string.length; i++) {
      const from = path[i] ?? 0;
      const state = size++;
      const b = string[i] ?? 0;
      parent[state] = from;
      byte[state] = b;
      depth[state] = i + 1;
      if (firstChild[from] === -1) firstChild[from] = b;
      else {
        const pairs = more.get(from);
        if (pairs) pairs.push(b, state);
        else more.set(from, [b, state]);
      }
      path.push(state);
    }
    terminal[path[string.length] ?? 0] = 1;
    maxLength = Math.max(maxLength, string.length);
    previous = string;
  }
  // Arrays were sized for a trie sharing no prefixes; the automaton keeps what it uses.
  return finish({ size, maxLength, parent, byte, depth: depth.slice(0, size), firstChild: firstChild.slice(0, size), terminal: terminal.slice(0, size), more });
}

interface Trie {
  size: number;
  maxLength: number;
  parent: Int32Array;
  byte: Int16Array;
  depth: Int32Array;
  firstChild: Int16Array;
  terminal: Uint8Array;
  more: Map<number, number[]>;
}

// Adds failure links, dense rows and output links to a trie, visiting states by depth.
function finish(trie: Trie): MaskAutomaton {
  const { size, depth, firstChild } = trie;
  const moreChildren = new Int32Array(size).fill(-1);
  const edgeList: number[] = [];
  for (const [state, pairs] of trie.more) {
    moreChildren[state] = edgeList.length;
    edgeList.push(pairs.length / 2, ...pairs);
  }
  const edges = Int32Array.from(edgeList);
  const row = new Int32Array(size).fill(-1);
  const fail = new Int32Array(size);
  const nextOutput = new Int32Array(size).fill(-1);
  const flags = new Uint8Array(size);
  const byDepth = statesByDepth(depth, size, trie.maxLength);
  const shallow = byDepth.filter((state) => depth[state]! <= 1);
  const rows = new Int32Array(shallow.length * 256);
  const automaton: MaskAutomaton = {
    size, maxLength: trie.maxLength, depth, fail, firstChild, moreChildren, edges, row, rows, flags, terminal: trie.terminal, nextOutput,
  };
  shallow.forEach((state, index) => {
    row[state] = index * 256;
    // A complete row: the child on a byte that has one, else where the failure (the root) goes.
    for (let b = 0; b < 256; b++) rows[index * 256 + b] = state === 0 ? 0 : rows[b]!;
    forEachChild(automaton, state, (b, child) => {
      rows[index * 256 + b] = child;
    });
  });
  for (const state of byDepth) {
    if (state === 0) continue;
    const from = trie.parent[state]!;
    fail[state] = from === 0 ? 0 : step(automaton, fail[from]!, trie.byte[state]!);
    const f = fail[state]!;
    nextOutput[state] = trie.terminal[f] === 1 ? f : nextOutput[f]!;
    flags[state] = (trie.terminal[state] === 1 || nextOutput[state]! >= 0 ? endsHere : 0) | (firstChild[state] === -1 ? 0 : hasChildren);
  }
  flags[0] = firstChild[0] === -1 ? 0 : hasChildren;
  return automaton;
}

function statesByDepth(depth: Int32Array, size: number, maxLength: number): number[] {
  const buckets: number[][] = Array.from({ length: maxLength + 1 }, () => []);
  for (let state = 0; state < size; state++) buckets[depth[state]!]!.push(state);
  return buckets.flat();
}

function forEachChild(automaton: MaskAutomaton, state: number, visit: (b: number, child: number) => void): void {
  if (automaton.firstChild[state] === -1) return;
  visit(automaton.firstChild[state]!, state + 1);
  const at = automaton.moreChildren[state]!;
  if (at < 0) return;
  const count = automaton.edges[at]!;
  for (let i = 0; i < count; i++) visit(automaton.edges[at + 1 + 2 * i]!, automaton.edges[at + 2 + 2 * i]!);
}

// The state after reading byte `b` in `state`. The scanning loop in mask-scan.ts inlines the same steps.
export function step(automaton: MaskAutomaton, state: number, b: number): number {
  const { row, rows, firstChild, moreChildren, edges, fail } = automaton;
  let s = state;
  for (;;) {
    const r = row[s]!;
    if (r >= 0) return rows[r + b]!;
    if (firstChild[s] === b) return s + 1;
    const at = moreChildren[s]!;
    if (at >= 0) {
      for (let i = at + 1, end = at + 1 + 2 * edges[at]!; i < end; i += 2) if (edges[i] === b) return edges[i + 1]!;
    }
    s = fail[s]!;
  }
}
