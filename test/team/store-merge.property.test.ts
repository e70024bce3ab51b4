import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/json.js';
import type { KeyMetadata } from '../../src/kv/key-metadata.js';
import { readData } from '../../src/kv/kv-v2-data.js';
import { readMetadata } from '../../src/kv/kv-v2-metadata.js';
import { readMounts } from '../../src/sys/mounts.js';
import { mergeStoreContents } from '../../src/team/store-merge.js';
import type { StoreMerge } from '../../src/team/store-merge.js';
import { parseStorageKey } from '../../src/team/storage-key.js';
import { createContentsStorage, scopeOf } from './contents-storage.js';
import { applyScript, createRng, generateScript } from './edit-script.js';

// Property tests: a random base, and two branches made from it by random edit scripts through
// the real KV and mount rules. Each property runs over many seeds; a failure names its seed.

const t0 = Date.parse('2024-03-01T00:00:00Z');
const runs = 300;
const keys = ['a', 'b', 'c/d', 'c/e', 'f@2'];

// Three kinds of scenario: everything (mounts, config, KV v1, system entries) over five keys;
// KV v2 edits crowded onto two keys, so both sides often touch the same versions; and only new
// versions onto two keys under a mount keeping 3, so merged versions get pruned.
const shapes = [
  { name: 'everything', keys, everything: true, prefix: [] },
  { name: 'two keys', keys: ['a', 'f@2'], prefix: [] },
  { name: 'pruned', keys: ['a', 'b'], puts: true, prefix: [{ op: 'config', maxVersions: 3 }] },
] as const;

function scenario(seed: number) {
  const rng = createRng(seed);
  const shape = shapes[seed % shapes.length] as (typeof shapes)[number];
  const start = applyScript(new Map(), [...shape.prefix], t0 - 1000);
  const base = applyScript(start, generateScript(rng, 2 + rng.int(8), shape), t0);
  const oursScript = generateScript(rng, rng.int(8), shape);
  const theirsScript = generateScript(rng, rng.int(8), shape);
  return { base, ours: applyScript(base, oursScript, t0 + 100_000), theirs: applyScript(base, theirsScript, t0 + 200_000) };
}

// What every store the engines write satisfies; the merged store must satisfy it too.
function checkValid(entries: ReadonlyMap<string, JsonValue>, where: string): void {
  const { storage } = createContentsStorage(entries);
  const table = readMounts(storage);
  const uuids = new Set(Object.values(table).map((mount) => mount.uuid));
  const metas = new Map<string, KeyMetadata>();
  for (const [storageKey, value] of entries) {
    const kind = parseStorageKey(storageKey);
    if (kind.kind === 'kv-meta') metas.set(`${kind.uuid}\0${kind.key}`, value as unknown as KeyMetadata);
    if ('uuid' in kind) expect(uuids.has(kind.uuid), `${where}: ${storageKey} belongs to a mount`).toBe(true);
  }
  for (const [storageKey] of entries) {
    const kind = parseStorageKey(storageKey);
    if (kind.kind !== 'kv-data') continue;
    const record = metas.get(`${kind.uuid}\0${kind.key}`)?.versions[String(kind.version)];
    expect(record !== undefined && !record.destroyed, `${where}: ${storageKey} has a live or deleted version`).toBe(true);
  }
  for (const [id, meta] of metas) {
    const [uuid = '', key = ''] = id.split('\0');
    const numbers = Object.keys(meta.versions).map(Number);
    for (const n of numbers) {
      expect(n >= Math.max(1, meta.oldest_version) && n <= meta.current_version, `${where}: ${key} version ${n} in the window`).toBe(true);
      if (!meta.versions[String(n)]?.destroyed) expect(entries.has(`kv/${uuid}/data/${key}@${n}`), `${where}: ${key}@${n} has data`).toBe(true);
    }
    expect(() => readMetadata(scopeOf(storage, uuid), key)).not.toThrow();
    for (const n of numbers) expect(() => readData(scopeOf(storage, uuid), key, { version: n }, t0 + 1e9)).not.toThrow();
  }
}

function checkNoValues(merge: StoreMerge, where: string): void {
  expect(JSON.stringify(merge.conflicts), `${where}: conflicts name no value`).not.toMatch(/val-|cm-/);
}

describe('the store merge, over random edits of a random base', () => {
  it('gives the changed side when the other is the base, and either side when both are the same', () => {
    for (let seed = 1; seed <= runs; seed++) {
      const { base, ours, theirs } = scenario(seed);
      expect(mergeStoreContents(base, ours, base), `seed ${seed}`).toEqual({ entries: ours, conflicts: [] });
      expect(mergeStoreContents(base, base, theirs), `seed ${seed}`).toEqual({ entries: theirs, conflicts: [] });
      expect(mergeStoreContents(base, theirs, theirs), `seed ${seed}`).toEqual({ entries: theirs, conflicts: [] });
    }
  });

  it('gives a valid store, names the same conflicting paths both ways, is symmetric when clean, and never shows a value', () => {
    let conflicted = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const { base, ours, theirs } = scenario(seed);
      const merge = mergeStoreContents(base, ours, theirs);
      const swapped = mergeStoreContents(base, theirs, ours);
      checkValid(merge.entries, `seed ${seed}`);
      checkValid(swapped.entries, `seed ${seed} swapped`);
      checkNoValues(merge, `seed ${seed}`);
      expect(new Set(swapped.conflicts.map((c) => c.path)), `seed ${seed}`).toEqual(new Set(merge.conflicts.map((c) => c.path)));
      if (merge.conflicts.length === 0) expect(swapped.entries, `seed ${seed}`).toEqual(merge.entries);
      else conflicted++;
    }
    // The scripts are meant to collide often enough to exercise the conflict paths.
    expect(conflicted).toBeGreaterThan(runs / 10);
  });

  it('merges edits of different secrets cleanly, into what applying both in turn gives', () => {
    for (let seed = 1; seed <= runs; seed++) {
      const rng = createRng(seed);
      const base = applyScript(new Map(), generateScript(rng, 2 + rng.int(8), { keys }), t0);
      const split = 1 + rng.int(keys.length - 1);
      const oursScript = generateScript(rng, 1 + rng.int(8), { keys: keys.slice(0, split) });
      const theirsScript = generateScript(rng, 1 + rng.int(8), { keys: keys.slice(split) });
      const ours = applyScript(base, oursScript, t0 + 100_000);
      const theirs = applyScript(base, theirsScript, t0 + 200_000);
      const merge = mergeStoreContents(base, ours, theirs);
      expect(merge.conflicts, `seed ${seed}`).toEqual([]);
      expect(merge.entries, `seed ${seed}`).toEqual(applyScript(ours, theirsScript, t0 + 200_000));
    }
  });

  it('keeps every value written on either side when both only add versions, and reports exactly the secrets both wrote', () => {
    for (let seed = 1; seed <= runs; seed++) {
      const rng = createRng(seed);
      const roomy = applyScript(new Map(), [{ op: 'config', maxVersions: 100 }], t0);
      const base = applyScript(roomy, generateScript(rng, 1 + rng.int(6), { keys, puts: true }), t0 + 1000);
      const oursScript = generateScript(rng, rng.int(6), { keys, puts: true });
      const theirsScript = generateScript(rng, rng.int(6), { keys, puts: true });
      const merge = mergeStoreContents(base, applyScript(base, oursScript, t0 + 100_000), applyScript(base, theirsScript, t0 + 200_000));
      const written = (script: typeof oursScript) => new Set(script.map((edit) => ('key' in edit ? edit.key : '')));
      const both = [...written(oursScript)].filter((key) => written(theirsScript).has(key));
      expect(merge.conflicts.map((c) => c.path).sort(), `seed ${seed}`).toEqual(both.map((key) => `secret/${key}`).sort());
      const values = new Set([...merge.entries.values()].map((value) => JSON.stringify(value)));
      for (const edit of [...oursScript, ...theirsScript]) {
        if (edit.op === 'put') expect(values.has(JSON.stringify({ data: { v: edit.value } })), `seed ${seed}: ${edit.key} kept`).toBe(true);
      }
      checkValid(merge.entries, `seed ${seed}`);
      checkNoValues(merge, `seed ${seed}`);
    }
  });
});
