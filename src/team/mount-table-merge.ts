import type { JsonObject, JsonValue } from '../json.js';
import type { Mount, MountTable } from '../sys/mounts.js';
import { mergeFields, mergeValue } from './three-way.js';

// Three-way merge of the mounts table (`sys/mounts`), mount path by mount path: mounts enabled
// on either side stay, a mount disabled on one side goes unless the other side changed
// secrets under it (then it stays, with them: a conflict, never a lost write), a mount tuned
// on both sides merges field by field. Two sides that enabled different mounts at the same
// path keep ours there and theirs at a free path beside it. Pure.

// A conflict at a mount path, with why.
export interface MountConflict {
  mountPath: string;
  reason: string;
}

// The merged table and its conflicts.
export interface MountTableMerge {
  table: MountTable;
  conflicts: MountConflict[];
}

// The mount uuids under which a side changed, added or deleted anything, compared with the base.
export interface ChangedMounts {
  ours: ReadonlySet<string>;
  theirs: ReadonlySet<string>;
}

function freePath(table: MountTable, mountPath: string): string {
  const stem = mountPath.slice(0, -1);
  for (let n = 1; ; n++) {
    const candidate = `${stem}-theirs${n === 1 ? '' : `-${n}`}/`;
    const clash = Object.keys(table).some((taken) => candidate.startsWith(taken) || taken.startsWith(candidate));
    if (!clash) return candidate;
  }
}

function mergeMount(mountPath: string, base: Mount | undefined, ours: Mount | undefined, theirs: Mount | undefined, changed: ChangedMounts, out: MountTableMerge, moved: Array<[string, Mount]>): void {
  const merged = mergeValue(base as unknown as JsonValue, ours as unknown as JsonValue, theirs as unknown as JsonValue);
  if (merged.ok) {
    const value = merged.value as unknown as Mount | undefined;
    if (value !== undefined) out.table[mountPath] = value;
    else if (base !== undefined) {
      // Disabled on one side (the other left it as it was) or on both.
      const keptBy = ours === undefined ? (theirs === undefined ? undefined : 'theirs') : 'ours';
      if (keptBy !== undefined && changed[keptBy].has(base.uuid)) {
        out.table[mountPath] = base;
        out.conflicts.push({ mountPath, reason: `disabled on ${keptBy === 'ours' ? 'theirs' : 'ours'} while ${keptBy} changed secrets under it: kept the mount and its secrets` });
      }
    }
    return;
  }
  if (ours !== undefined && theirs !== undefined && ours.uuid !== theirs.uuid) {
    out.table[mountPath] = ours;
    moved.push([mountPath, theirs]);
    return;
  }
  if (ours !== undefined && theirs !== undefined) {
    const fields = mergeFields(base as unknown as JsonObject, ours as unknown as JsonObject, theirs as unknown as JsonObject);
    out.table[mountPath] = fields.value as unknown as Mount;
    out.conflicts.push({ mountPath, reason: `${fields.conflicts.join(', ')} changed on both sides: kept ours` });
    return;
  }
  // Disabled on one side and tuned on the other.
  out.table[mountPath] = (ours ?? theirs) as Mount;
  out.conflicts.push({ mountPath, reason: `disabled on ${ours === undefined ? 'ours' : 'theirs'} and tuned on ${ours === undefined ? 'theirs' : 'ours'}: kept it enabled` });
}

// Merges three mounts tables (a store that never wrote its table has the default one).
export function mergeMountTables(base: MountTable, ours: MountTable, theirs: MountTable, changed: ChangedMounts): MountTableMerge {
  const out: MountTableMerge = { table: {}, conflicts: [] };
  const moved: Array<[string, Mount]> = [];
  const paths = new Set([...Object.keys(base), ...Object.keys(ours), ...Object.keys(theirs)]);
  for (const mountPath of [...paths].sort()) mergeMount(mountPath, base[mountPath], ours[mountPath], theirs[mountPath], changed, out, moved);
  for (const [mountPath, mount] of moved) {
    const target = freePath(out.table, mountPath);
    out.table[target] = mount;
    out.conflicts.push({ mountPath, reason: `enabled on both sides with different engines: kept ours here and moved theirs to ${target}` });
  }
  return out;
}
