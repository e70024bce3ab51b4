// A set of string keys that finds, for a path, the longest key that is a prefix of it — the
// longest `*` rule — without slicing the path. Keys are grouped by length; one
// pass over the path's characters keeps a running hash of its prefix, and at each length some
// key has, the hash picks the candidates, which `startsWith` confirms. (Slicing the path and
// looking the slice up in a Map costs ~60 ns a probe: the slice is a new string to hash; see
// bench/policy.mjs.) Most keys end in `/`, so a length whose keys all end in one character is
// skipped when the path has another character there.

export interface PrefixLevel<T> {
  length: number;
  /** The character every key of this length ends with, or -1 when they differ. */
  lastChar: number;
  byHash: Map<number, Array<readonly [string, T]>>;
}

export interface PrefixTable<T> {
  /** Shortest first. */
  levels: PrefixLevel<T>[];
}

// Kept within 30 bits so the hash stays a small integer (a V8 Smi): a wider one is boxed.
function step(hash: number, char: number): number {
  return (Math.imul(hash, 31) + char) & 0x3fffffff;
}

function hashOf(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = step(hash, key.charCodeAt(i));
  return hash;
}

// Builds the table from [key, value] entries (keys are distinct).
export function buildPrefixTable<T>(entries: Iterable<readonly [string, T]>): PrefixTable<T> {
  const levels = new Map<number, PrefixLevel<T>>();
  for (const entry of entries) {
    const key = entry[0];
    const last = key.length === 0 ? -1 : key.charCodeAt(key.length - 1);
    let level = levels.get(key.length);
    if (level === undefined) {
      level = { length: key.length, lastChar: last, byHash: new Map() };
      levels.set(key.length, level);
    } else if (level.lastChar !== last) {
      level.lastChar = -1;
    }
    const hash = hashOf(key);
    const bucket = level.byHash.get(hash);
    if (bucket === undefined) level.byHash.set(hash, [entry]);
    else bucket.push(entry);
  }
  return { levels: [...levels.values()].sort((a, b) => a.length - b.length) };
}

// The value of the longest key that is a prefix of `path`, with that key.
export function findLongestPrefix<T>(table: PrefixTable<T>, path: string): readonly [string, T] | undefined {
  let hash = 0;
  let done = 0;
  let found: readonly [string, T] | undefined;
  for (const level of table.levels) {
    const length = level.length;
    if (length > path.length) break;
    while (done < length) hash = step(hash, path.charCodeAt(done++));
    if (level.lastChar !== -1 && path.charCodeAt(length - 1) !== level.lastChar) continue;
    const bucket = level.byHash.get(hash);
    if (bucket === undefined) continue;
    for (const entry of bucket) {
      if (path.startsWith(entry[0])) {
        found = entry;
        break;
      }
    }
  }
  return found;
}
