import { isMap, isSeq, isScalar } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';

// A position in the manifest, 1-based, as editors show it.
export interface Position {
  readonly line: number;
  readonly col: number;
}

// The YAML nodes for one data location: the value, and the key when it is a map entry.
export interface LocatedNode {
  readonly value: Node | undefined;
  readonly key: Node | undefined;
}

// Splits an ajv instancePath (`/env/DB~1URL`) into its segments.
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

// Renders segments as users read them: `env.DB_URL`, `expand[0].path`.
export function formatDataPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

// Each map's pairs by key, built on the first lookup: a manifest of n variables looks up each
// one (and every schema error its key), which scanning the map made n² (bench/runner.mjs, check).
const pairIndexes = new WeakMap<Node, Map<string, Pair<Node, Node>>>();

function findPair(node: Node | undefined, key: string): Pair<Node, Node> | undefined {
  if (!isMap(node)) return undefined;
  let index = pairIndexes.get(node);
  if (index === undefined) {
    index = new Map();
    for (const pair of node.items as Pair<Node, Node>[]) {
      // The first of duplicate keys, as the data and the duplicate-key problem name it.
      if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
    }
    pairIndexes.set(node, index);
  }
  return index.get(key);
}

// Finds the nodes at a data path in the document; missing segments stop at the deepest node found.
export function locateNode(doc: Document, segments: readonly string[]): LocatedNode {
  let value = doc.contents ?? undefined;
  let key: Node | undefined;
  for (const segment of segments) {
    if (isSeq(value)) {
      value = (value.items[Number(segment)] as Node | undefined) ?? value;
      key = undefined;
      continue;
    }
    const pair = findPair(value, segment);
    if (!pair) break;
    key = pair.key;
    value = pair.value ?? pair.key;
  }
  return { value: value ?? undefined, key };
}

// The key node of entry `key` inside the map at `segments`, when there is one.
export function locateKey(doc: Document, segments: readonly string[], key: string): Node | undefined {
  return findPair(locateNode(doc, segments).value, key)?.key;
}

// The 1-based position where a node starts (line 1, col 1 for an empty document).
export function nodePosition(node: Node | undefined, lineCounter: LineCounter): Position {
  const offset = node?.range?.[0] ?? 0;
  return lineCounter.linePos(offset);
}
