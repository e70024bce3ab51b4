// The `+` patterns of an ACL as a trie of path segments, so that a request visits only the
// patterns its segments can match — not every `+` pattern, as acl.go does. Each node has its
// literal children (found by the segment's hash, confirmed in place, so the path is never
// split into new strings), a `+` child matching any one segment, the patterns that end there,
// and the patterns whose trailing glob segment (`fo*`, or `*` after a slash) is compared here.

export interface SegmentNode<T> {
  children: Map<number, Array<[string, SegmentNode<T>]>>;
  plus: SegmentNode<T> | undefined;
  /** Patterns without a trailing `*` whose every segment matched on the way here. */
  ends: T[];
  /** Patterns with a trailing `*`: their last (partial) segment must start the path's segment here. */
  globs: Array<[string, T]>;
}

// A pattern as the trie stores it: its segments without the trailing `*`, and whether it had one.
export interface SegmentPattern<T> {
  segments: readonly string[];
  isPrefix: boolean;
  value: T;
}

function createNode<T>(): SegmentNode<T> {
  return { children: new Map(), plus: undefined, ends: [], globs: [] };
}

// Kept within 30 bits so the hash stays a small integer (a V8 Smi): a wider one is boxed.
function hashRange(text: string, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) & 0x3fffffff;
  return hash;
}

// Builds the trie of the patterns.
export function buildSegmentTrie<T>(patterns: Iterable<SegmentPattern<T>>): SegmentNode<T> {
  const root = createNode<T>();
  for (const { segments, isPrefix, value } of patterns) {
    const walked = isPrefix ? segments.slice(0, -1) : segments;
    let node = root;
    for (const segment of walked) node = segment === '+' ? (node.plus ??= createNode()) : literalChild(node, segment);
    if (isPrefix) node.globs.push([segments[segments.length - 1] ?? '', value]);
    else node.ends.push(value);
  }
  return root;
}

function literalChild<T>(node: SegmentNode<T>, segment: string): SegmentNode<T> {
  const hash = hashRange(segment, 0, segment.length);
  const bucket = node.children.get(hash) ?? [];
  const found = bucket.find(([text]) => text === segment);
  if (found !== undefined) return found[1];
  const child = createNode<T>();
  bucket.push([segment, child]);
  node.children.set(hash, bucket);
  return child;
}

// Calls `visit` with every pattern matching the path (Vault's segment matching: `+` is one whole
// segment, other segments compare exactly, a trailing glob segment by prefix).
export function visitSegmentMatches<T>(root: SegmentNode<T>, path: string, visit: (value: T) => void): void {
  walk(root, path, 0, visit);
}

// `from` is where the path's next segment starts, or -1 once every segment was consumed.
function walk<T>(node: SegmentNode<T>, path: string, from: number, visit: (value: T) => void): void {
  if (from < 0) {
    for (const value of node.ends) visit(value);
    return;
  }
  const slash = path.indexOf('/', from);
  const to = slash === -1 ? path.length : slash;
  const next = slash === -1 ? -1 : slash + 1;
  // A segment holds no `/`, so a prefix match cannot run past the path's segment.
  for (const [segment, value] of node.globs) if (path.startsWith(segment, from)) visit(value);
  if (node.children.size > 0) {
    const bucket = node.children.get(hashRange(path, from, to));
    if (bucket !== undefined) for (const [segment, child] of bucket) if (to - from === segment.length && path.startsWith(segment, from)) walk(child, path, next, visit);
  }
  if (node.plus !== undefined) walk(node.plus, path, next, visit);
}
