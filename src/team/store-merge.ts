import { compareGoStrings } from '../go/string-order.js';
import type { JsonObject, JsonValue } from '../json.js';
import { isJsonObject } from '../json.js';
import { decodeKeyMetadata } from '../kv/key-metadata.js';
import { metaKey, versionKey } from '../kv/kv-scope.js';
import { defaultMounts, mountsKey } from '../sys/mounts.js';
import type { MountTable } from '../sys/mounts.js';
import { jsonEqual } from './json-equal.js';
import { mergeSecret } from './kv-secret-merge.js';
import type { SecretState } from './kv-secret-merge.js';
import { mergeMountTables } from './mount-table-merge.js';
import { mountUuidOf, parseStorageKey } from './storage-key.js';
import { mergeFields, mergeValue } from './three-way.js';

// The three-way merge of a whole store, over what a Storage holds (storage key → decrypted
// JSON value) in the merge base, ours and theirs. KV v2 secrets merge version by version
// (kv-secret-merge.ts), the mounts table mount by mount (mount-table-merge.ts), a KV mount's
// config field by field, and every other entry (KV v1 secrets, system configuration) as one
// value. Conflicts are reported by logical path (`secret/myapp/db`), with a reason that names
// versions, settings or field names, never a value. Where a conflict must choose, the merged
// store holds ours; nothing that can be kept is dropped. Pure.

// What one store holds.
export type StoreContents = ReadonlyMap<string, JsonValue>;

// A conflict: the path people know the thing by, and what happened to it.
export interface MergeConflict {
  path: string;
  reason: string;
}

// The merged contents (sorted by storage key) and the conflicts (sorted by path).
export interface StoreMerge {
  entries: Map<string, JsonValue>;
  conflicts: MergeConflict[];
}

type Side = 'base' | 'ours' | 'theirs';
const sides: readonly Side[] = ['base', 'ours', 'theirs'];

interface SecretGroup {
  uuid: string;
  key: string;
  states: Partial<Record<Side, { meta?: JsonValue; data: Map<number, JsonValue> }>>;
}

function stateOf(group: SecretGroup, side: Side): SecretState | undefined {
  const raw = group.states[side];
  return raw?.meta === undefined ? undefined : { meta: decodeKeyMetadata(raw.meta), data: raw.data };
}

function tableOf(contents: StoreContents): MountTable {
  const stored = contents.get(mountsKey);
  return isJsonObject(stored) ? (stored as unknown as MountTable) : defaultMounts();
}

// Merges three stores' contents.
export function mergeStoreContents(base: StoreContents, ours: StoreContents, theirs: StoreContents): StoreMerge {
  const inputs: Record<Side, StoreContents> = { base, ours, theirs };
  const entries = new Map<string, JsonValue>();
  // Conflicts are kept against what they concern and named once the mounts are known.
  const pending: Array<{ uuid?: string; name: string; reason: string }> = [];
  const secrets = new Map<string, SecretGroup>();
  const single = new Set<string>();

  for (const side of sides) {
    for (const storageKey of inputs[side].keys()) {
      const kind = parseStorageKey(storageKey);
      if (kind.kind !== 'kv-meta' && kind.kind !== 'kv-data') {
        single.add(storageKey);
        continue;
      }
      const id = `${kind.uuid}\0${kind.key}`;
      const group = secrets.get(id) ?? { uuid: kind.uuid, key: kind.key, states: {} };
      secrets.set(id, group);
      const state: { meta?: JsonValue; data: Map<number, JsonValue> } = group.states[side] ?? { data: new Map() };
      group.states[side] = state;
      if (kind.kind === 'kv-meta') state.meta = inputs[side].get(storageKey);
      else state.data.set(kind.version, inputs[side].get(storageKey) as JsonValue);
    }
  }

  // A KV mount's config first: its max_versions bounds the versions its secrets keep.
  const configs = new Map<string, JsonObject>();
  for (const storageKey of single) {
    const kind = parseStorageKey(storageKey);
    if (kind.kind !== 'kv-config') continue;
    single.delete(storageKey);
    const [b, o, t] = sides.map((side) => inputs[side].get(storageKey));
    const merged = mergeFields(isJsonObject(b) ? b : undefined, isJsonObject(o) ? o : undefined, isJsonObject(t) ? t : undefined);
    for (const field of merged.conflicts) pending.push({ uuid: kind.uuid, name: 'config', reason: `setting ${field} changed on both sides: kept ours` });
    // A config deleted on a side went with its mount (disabling deletes it); an empty one is none.
    if ((o !== undefined || t !== undefined) && (Object.keys(merged.value).length > 0 || (o !== undefined && t !== undefined))) {
      entries.set(storageKey, merged.value);
      configs.set(kind.uuid, merged.value);
    }
  }

  for (const group of secrets.values()) {
    const mountMax = configs.get(group.uuid)?.['max_versions'];
    const merged = mergeSecret(stateOf(group, 'base'), stateOf(group, 'ours'), stateOf(group, 'theirs'), typeof mountMax === 'number' ? mountMax : 0);
    for (const reason of merged.conflicts) pending.push({ uuid: group.uuid, name: group.key, reason });
    if (merged.state === undefined) continue;
    entries.set(metaKey(group.uuid, group.key), merged.state.meta as unknown as JsonValue);
    for (const [version, value] of merged.state.data) entries.set(versionKey(group.uuid, group.key, version), value);
  }

  for (const storageKey of single) {
    if (storageKey === mountsKey) continue;
    const [b, o, t] = sides.map((side) => inputs[side].get(storageKey));
    const merged = mergeValue(b, o, t);
    const kind = parseStorageKey(storageKey);
    const where = kind.kind === 'kv-v1' ? { uuid: kind.uuid, name: kind.key } : { name: storageKey };
    if (!merged.ok) {
      // Deleted on one side and changed on the other keeps the change; changed on both keeps ours.
      const kept = o === undefined ? 'theirs' : 'ours';
      const what = o === undefined || t === undefined ? `deleted on ${o === undefined ? 'ours' : 'theirs'} and changed on ${kept}` : 'changed on both sides';
      pending.push({ ...where, reason: `${what}: kept ${kept}` });
    }
    const value = merged.ok ? merged.value : (o ?? t);
    if (value !== undefined) entries.set(storageKey, value);
  }

  // The mounts table last: a mount disabled on one side stays if the other changed under it.
  const changed = { ours: new Set<string>(), theirs: new Set<string>() };
  for (const side of ['ours', 'theirs'] as const) {
    for (const storageKey of new Set([...base.keys(), ...inputs[side].keys()])) {
      const uuid = mountUuidOf(storageKey);
      if (uuid !== undefined && !jsonEqual(base.get(storageKey), inputs[side].get(storageKey))) changed[side].add(uuid);
    }
  }
  const tables = { base: tableOf(base), ours: tableOf(ours), theirs: tableOf(theirs) };
  const mounts = mergeMountTables(tables.base, tables.ours, tables.theirs, changed);
  if (sides.some((side) => inputs[side].has(mountsKey))) entries.set(mountsKey, mounts.table as unknown as JsonValue);
  const kept = new Set(Object.values(mounts.table).map((mount) => mount.uuid));
  const known = new Set(sides.flatMap((side) => Object.values(tables[side]).map((mount) => mount.uuid)));
  for (const storageKey of [...entries.keys()]) {
    const uuid = mountUuidOf(storageKey);
    // Entries of a mount that was disabled; entries of uuids no table ever named are left be.
    if (uuid !== undefined && known.has(uuid) && !kept.has(uuid)) entries.delete(storageKey);
  }

  const pathOf = new Map<string, string>();
  for (const table of [tables.base, tables.theirs, tables.ours, mounts.table]) {
    for (const [mountPath, mount] of Object.entries(table)) pathOf.set(mount.uuid, mountPath);
  }
  const conflicts: MergeConflict[] = [
    ...mounts.conflicts.map(({ mountPath, reason }) => ({ path: `sys/mounts/${mountPath}`, reason })),
    ...pending.map(({ uuid, name, reason }) => ({
      path: uuid === undefined ? name : `${pathOf.get(uuid) ?? `kv/${uuid}/`}${name}`,
      reason,
    })),
  ].sort((a, b) => compareGoStrings(a.path, b.path) || compareGoStrings(a.reason, b.reason));
  const sorted = new Map([...entries].sort(([a], [b]) => compareGoStrings(a, b)));
  return { entries: sorted, conflicts };
}
