import { SecretrunError } from '../../src/errors.js';
import type { JsonValue } from '../../src/json.js';
import { writeConfig } from '../../src/kv/kv-v2-config.js';
import { deleteLatestData, patchData, writeData } from '../../src/kv/kv-v2-data.js';
import { deleteMetadata, patchMetadata, writeMetadata } from '../../src/kv/kv-v2-metadata.js';
import { deleteVersions, destroyVersions, undeleteVersions } from '../../src/kv/kv-v2-versions.js';
import { deleteV1, writeV1 } from '../../src/kv/kv-v1.js';
import type { Storage } from '../../src/store/storage.js';
import { disableMount, enableMount, readMounts } from '../../src/sys/mounts.js';
import { createContentsStorage, scopeOf } from './contents-storage.js';

// Random edit scripts for property tests: a seeded generator, edits as plain data (so the same
// script can be replayed on another store), and their application through the real KV and
// mount rules. Values are `val-…`/`cm-…` strings, so a test can look for them in what it must
// never contain.

// A small, fast, seeded generator (mulberry32).
export function createRng(seed: number): { next: () => number; int: (n: number) => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] as (typeof items)[number] };
}

// One edit, as data.
export type Edit =
  | { op: 'put' | 'patch'; key: string; value: string }
  | { op: 'delete-latest' | 'delete-metadata'; key: string }
  | { op: 'delete' | 'undelete' | 'destroy'; key: string; versions: number[] }
  | { op: 'metadata'; key: string; maxVersions: number; field: string; value: string }
  | { op: 'metadata-patch'; key: string; field: string; value: string | null }
  | { op: 'config'; maxVersions: number }
  | { op: 'enable' | 'disable'; mount: string; random: number }
  | { op: 'extra-put'; key: string; value: string }
  | { op: 'v1-put'; key: string; value: string }
  | { op: 'v1-delete'; key: string }
  | { op: 'sys-put'; value: string }
  | { op: 'sys-delete' };

// Which edits a script may use.
export interface ScriptShape {
  keys: readonly string[];
  puts?: boolean;
  everything?: boolean;
}

const fields = ['owner', 'env', 'ticket'];

// A random script of `length` edits over the given keys.
export function generateScript(rng: ReturnType<typeof createRng>, length: number, shape: ScriptShape): Edit[] {
  const value = (prefix: string): string => `${prefix}-${rng.int(1e9).toString(16)}`;
  const edits: Edit[] = [];
  for (let i = 0; i < length; i++) {
    const key = rng.pick(shape.keys);
    const versions = [1 + rng.int(6), 1 + rng.int(6)];
    const choices: Array<() => Edit> = [
      () => ({ op: 'put', key, value: value('val') }),
      () => ({ op: 'put', key, value: value('val') }),
      () => ({ op: 'put', key, value: value('val') }),
    ];
    if (!shape.puts) {
      choices.push(
        () => ({ op: 'patch', key, value: value('val') }),
        () => ({ op: 'delete-latest', key }),
        () => ({ op: 'delete', key, versions }),
        () => ({ op: 'undelete', key, versions }),
        () => ({ op: 'destroy', key, versions }),
        () => ({ op: 'metadata', key, maxVersions: rng.pick([0, 2, 3, 20]), field: rng.pick(fields), value: value('cm') }),
        () => ({ op: 'metadata-patch', key, field: rng.pick(fields), value: rng.next() < 0.3 ? null : value('cm') }),
        () => ({ op: 'delete-metadata', key }),
      );
    }
    if (shape.everything) {
      choices.push(
        () => ({ op: 'config', maxVersions: rng.pick([0, 3, 20]) }),
        () => ({ op: 'enable', mount: rng.pick(['extra/', 'more/']), random: rng.int(1e9) }),
        () => ({ op: 'disable', mount: rng.pick(['extra/', 'more/']), random: 0 }),
        () => ({ op: 'extra-put', key, value: value('val') }),
        () => ({ op: 'v1-put', key, value: value('val') }),
        () => ({ op: 'v1-delete', key }),
        () => ({ op: 'sys-put', value: value('val') }),
        () => ({ op: 'sys-delete' }),
      );
    }
    edits.push(rng.pick(choices)());
  }
  return edits;
}

function mountUuid(storage: Storage, path: string): string | undefined {
  return readMounts(storage)[path]?.uuid;
}

function ensureMount(storage: Storage, path: string, type: string, random: number): string {
  const existing = mountUuid(storage, path);
  if (existing !== undefined) return existing;
  const rng = createRng(random);
  return enableMount(storage, path, { type }, (n) => Uint8Array.from({ length: n }, () => rng.int(256))).uuid;
}

function applyOne(storage: Storage, edit: Edit, now: number): void {
  const scope = scopeOf(storage);
  switch (edit.op) {
    case 'put': return void writeData(scope, edit.key, { data: { v: edit.value } }, now);
    case 'patch': return void patchData(scope, edit.key, { data: { p: edit.value } }, now);
    case 'delete-latest': return deleteLatestData(scope, edit.key, now);
    case 'delete-metadata': return deleteMetadata(scope, edit.key);
    case 'delete': return deleteVersions(scope, edit.key, { versions: edit.versions }, now);
    case 'undelete': return undeleteVersions(scope, edit.key, { versions: edit.versions }, now);
    case 'destroy': return destroyVersions(scope, edit.key, { versions: edit.versions });
    case 'metadata': return void writeMetadata(scope, edit.key, { max_versions: edit.maxVersions, custom_metadata: { [edit.field]: edit.value } }, now);
    case 'metadata-patch': return void patchMetadata(scope, edit.key, { custom_metadata: { [edit.field]: edit.value } });
    case 'config': return writeConfig(scope, { max_versions: edit.maxVersions });
    case 'enable': return void ensureMount(storage, edit.mount, 'kv-v2', edit.random);
    case 'disable': return void disableMount(storage, edit.mount);
    case 'extra-put': {
      const uuid = mountUuid(storage, 'extra/');
      return uuid === undefined ? undefined : void writeData(scopeOf(storage, uuid), edit.key, { data: { v: edit.value } }, now);
    }
    case 'v1-put': return writeV1(scopeOf(storage, ensureMount(storage, 'v1/', 'kv-v1', 7)), edit.key, { v: edit.value });
    case 'v1-delete': {
      const uuid = mountUuid(storage, 'v1/');
      return uuid === undefined ? undefined : deleteV1(scopeOf(storage, uuid), edit.key);
    }
    case 'sys-put': return storage.put('sys/policy/acl/app', { policy: edit.value });
    case 'sys-delete': return storage.delete('sys/policy/acl/app');
  }
}

// Applies a script edit by edit, one second apart from `start`. An edit the engine refuses
// (check-and-set required, a missing key) changes nothing, as a failed transaction would not.
export function applyScript(from: ReadonlyMap<string, JsonValue>, edits: readonly Edit[], start: number): Map<string, JsonValue> {
  let contents = new Map(from);
  edits.forEach((edit, i) => {
    const draft = createContentsStorage(contents);
    try {
      applyOne(draft.storage, edit, start + i * 1000);
      contents = draft.contents();
    } catch (error) {
      if (!(error instanceof SecretrunError)) throw error;
    }
  });
  return contents;
}
