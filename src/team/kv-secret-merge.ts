import type { JsonObject, JsonValue } from '../json.js';
import { createKeyMetadata, effectiveMaxVersions } from '../kv/key-metadata.js';
import type { KeyMetadata, VersionRecord } from '../kv/key-metadata.js';
import { jsonEqual } from './json-equal.js';
import { mergeFields, mergeValue } from './three-way.js';

// Three-way merge of one KV v2 secret: its metadata and the data of its versions, version by
// version, so that the result is metadata Vault's rules could have produced.
//
// - New versions on one side only are taken with their numbers. New versions on both sides
//   would collide on their numbers: that is a conflict. Nothing written is lost: ours keep
//   their numbers, theirs follow, and the current version is theirs' latest, so the person
//   merging sees both in `kv metadata get` and picks one with `kv rollback`.
// - Versions of the base are merged record by record: destroyed on either side is destroyed
//   (the data is gone there), deleted on both sides keeps the earlier deletion time, deleted
//   on one side and undeleted on the other is a conflict. A version pruned on one side goes.
// - Settings and custom_metadata merge field by field.
// - The window of kept versions is applied again (Vault's AddVersion rule) when the merge
//   added versions, with the merged max_versions.
// A conflict keeps ours where two changes cannot both be kept, and never drops a write that
// can be kept. Pure.

// One secret as a store holds it: its metadata and its versions' data by number.
export interface SecretState {
  meta: KeyMetadata;
  data: ReadonlyMap<number, JsonValue>;
}

// The merged secret (undefined: deleted) and why it conflicted, if it did.
export interface SecretMerge {
  state: SecretState | undefined;
  conflicts: string[];
}

function sameState(a: SecretState | undefined, b: SecretState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (!jsonEqual(a.meta as unknown as JsonValue, b.meta as unknown as JsonValue) || a.data.size !== b.data.size) return false;
  return [...a.data].every(([version, value]) => jsonEqual(value, b.data.get(version)));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

function renderRange(versions: readonly number[]): string {
  const first = versions[0];
  const last = versions.at(-1);
  return first === last ? `${first}` : `${first}-${last}`;
}

function mergeRecord(version: number, base: VersionRecord, ours: VersionRecord, theirs: VersionRecord, conflicts: string[]): VersionRecord {
  let deletion = mergeValue(base.deletion_time, ours.deletion_time, theirs.deletion_time);
  if (!deletion.ok && ours.deletion_time !== null && theirs.deletion_time !== null) {
    deletion = { ok: true, value: Math.min(ours.deletion_time, theirs.deletion_time) };
  }
  if (!deletion.ok) conflicts.push(`version ${version} was deleted on one side and undeleted on the other: kept ours`);
  return {
    created_time: ours.created_time,
    deletion_time: deletion.ok ? (deletion.value ?? null) : ours.deletion_time,
    destroyed: ours.destroyed || theirs.destroyed,
  };
}

const settingNames = ['max_versions', 'cas_required', 'delete_version_after'] as const;

function settingsOf(meta: KeyMetadata): JsonObject {
  return Object.fromEntries(settingNames.map((name) => [name, meta[name]]));
}

// Merges versions, settings and custom_metadata of a secret present on both sides.
function mergeBothPresent(base: SecretState, ours: SecretState, theirs: SecretState, mountMaxVersions: number): SecretMerge {
  const conflicts: string[] = [];
  const baseCurrent = base.meta.current_version;
  const oursNew = range(baseCurrent + 1, ours.meta.current_version);
  const theirsNew = range(baseCurrent + 1, theirs.meta.current_version);
  const both = oursNew.length > 0 && theirsNew.length > 0;
  const shift = both ? ours.meta.current_version - baseCurrent : 0;
  const versions: Record<string, VersionRecord> = {};
  const data = new Map<number, JsonValue>();
  const keep = (version: number, record: VersionRecord, value: JsonValue | undefined): void => {
    versions[String(version)] = record;
    if (!record.destroyed && value !== undefined) data.set(version, value);
  };
  for (const [text, record] of Object.entries(base.meta.versions)) {
    const version = Number(text);
    const mine = ours.meta.versions[text];
    const other = theirs.meta.versions[text];
    // Pruned on a side (that side wrote past max_versions): its data is gone there, so it goes.
    if (mine === undefined || other === undefined) continue;
    keep(version, mergeRecord(version, record, mine, other, conflicts), ours.data.get(version) ?? theirs.data.get(version));
  }
  for (const version of oursNew) {
    const record = ours.meta.versions[String(version)];
    if (record !== undefined) keep(version, { ...record }, ours.data.get(version));
  }
  for (const version of theirsNew) {
    const record = theirs.meta.versions[String(version)];
    if (record !== undefined) keep(version + shift, { ...record }, theirs.data.get(version));
  }
  const current = both ? ours.meta.current_version + theirsNew.length : Math.max(ours.meta.current_version, theirs.meta.current_version);
  if (both) {
    const moved = renderRange(theirsNew.map((v) => v + shift));
    conflicts.push(
      `both sides wrote new versions (ours ${renderRange(oursNew)}, theirs ${renderRange(theirsNew)}, now ${moved}): the current version is theirs' latest (${current}); keep ours with \`secretrun kv rollback -version=${ours.meta.current_version}\``,
    );
  }

  const settings = mergeFields(settingsOf(base.meta), settingsOf(ours.meta), settingsOf(theirs.meta));
  for (const name of settings.conflicts) conflicts.push(`setting ${name} changed on both sides: kept ours`);
  const custom = mergeFields(base.meta.custom_metadata ?? {}, ours.meta.custom_metadata ?? {}, theirs.meta.custom_metadata ?? {});
  for (const name of custom.conflicts) conflicts.push(`custom_metadata field ${JSON.stringify(name)} changed on both sides: kept ours`);

  const meta: KeyMetadata = {
    key: ours.meta.key,
    versions,
    current_version: current,
    oldest_version: Math.max(ours.meta.oldest_version, theirs.meta.oldest_version),
    created_time: base.meta.created_time,
    updated_time: Math.max(ours.meta.updated_time, theirs.meta.updated_time),
    max_versions: settings.value['max_versions'] as number,
    cas_required: settings.value['cas_required'] as boolean,
    delete_version_after: settings.value['delete_version_after'] as number,
    custom_metadata: Object.keys(custom.value).length === 0 ? null : (custom.value as Record<string, string>),
  };
  // Vault prunes when a version is added; one pass after several additions ends where adding
  // them one by one would: the window's oldest version is current - limit + 1.
  const limit = effectiveMaxVersions(meta.max_versions, mountMaxVersions);
  if ((oursNew.length > 0 || theirsNew.length > 0) && meta.current_version - meta.oldest_version >= limit) {
    meta.oldest_version = meta.current_version - limit + 1;
  }
  for (const text of Object.keys(versions)) {
    if (Number(text) >= meta.oldest_version) continue;
    delete versions[text];
    data.delete(Number(text));
  }
  return { state: { meta, data }, conflicts };
}

// Merges one secret; `mountMaxVersions` is the merged max_versions of its mount's config.
export function mergeSecret(base: SecretState | undefined, ours: SecretState | undefined, theirs: SecretState | undefined, mountMaxVersions: number): SecretMerge {
  if (sameState(ours, theirs)) return { state: ours, conflicts: [] };
  if (sameState(ours, base)) return { state: theirs, conflicts: [] };
  if (sameState(theirs, base)) return { state: ours, conflicts: [] };
  if (ours === undefined) return { state: theirs, conflicts: ['deleted on ours (kv metadata delete) and changed on theirs: kept theirs'] };
  if (theirs === undefined) return { state: ours, conflicts: ['changed on ours and deleted on theirs (kv metadata delete): kept ours'] };
  if (base === undefined) {
    // Created on both sides: merged as if from a key with no versions, created at the first.
    const created = Math.min(ours.meta.created_time, theirs.meta.created_time);
    return mergeBothPresent({ meta: createKeyMetadata(ours.meta.key, created), data: new Map() }, ours, theirs, mountMaxVersions);
  }
  const recreated = (side: SecretState): boolean =>
    side.meta.created_time !== base.meta.created_time || side.meta.current_version < base.meta.current_version;
  if (recreated(ours) || recreated(theirs)) {
    return { state: ours, conflicts: ['deleted and written again on one side and changed on the other: kept ours'] };
  }
  return mergeBothPresent(base, ours, theirs, mountMaxVersions);
}
