import { SecretrunError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { compareGoStrings } from '../go/string-order.js';
import type { CustomMetadata } from './custom-metadata.js';
import { formatOptionalTimestamp, formatTimestamp } from './timestamp.js';

// The stored state of one version: times in ms since the epoch, deletion_time null when unset.
export interface VersionRecord {
  created_time: number;
  deletion_time: number | null;
  destroyed: boolean;
}

// The stored metadata of one KV v2 key (Vault's KeyMetadata). Settings of 0/false mean "inherit
// from the mount"; `versions` holds only the versions not yet pruned, keyed by number.
export interface KeyMetadata {
  key: string;
  versions: Record<string, VersionRecord>;
  current_version: number;
  oldest_version: number;
  created_time: number;
  updated_time: number;
  max_versions: number;
  cas_required: boolean;
  /** Seconds; 0 = inherit. */
  delete_version_after: number;
  custom_metadata: CustomMetadata | null;
}

// How a version reads at a given moment.
export type VersionStatus = 'live' | 'deleted' | 'destroyed';

// Version metadata exactly as Vault puts it on the wire (keys in Go's sorted order).
export interface VersionMetadataWire {
  created_time: string;
  custom_metadata: CustomMetadata | null;
  deletion_time: string;
  destroyed: boolean;
  version: number;
}

// Vault keeps this many versions when neither the key nor the mount says otherwise.
export const defaultMaxVersions = 10;

// Metadata for a key that has no versions yet.
export function createKeyMetadata(key: string, now: number): KeyMetadata {
  return {
    key,
    versions: {},
    current_version: 0,
    oldest_version: 0,
    created_time: now,
    updated_time: now,
    max_versions: 0,
    cas_required: false,
    delete_version_after: 0,
    custom_metadata: null,
  };
}

// Reads stored metadata back (it was written by this module, so only its shape is checked).
export function decodeKeyMetadata(value: JsonValue): KeyMetadata {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof value.current_version !== 'number') {
    throw new SecretrunError('internal', 'stored key metadata has an unexpected shape');
  }
  return value as unknown as KeyMetadata;
}

// The limit on kept versions: the larger of key and mount settings (what Vault's code does,
// although its docs say the key's setting overrides), or 10 when both are 0.
export function effectiveMaxVersions(keyMax: number, mountMax: number): number {
  const limit = Math.max(keyMax, mountMax);
  return limit > 0 ? limit : defaultMaxVersions;
}

// The result of adding a version: new metadata plus the version numbers whose data to delete.
export interface AddedVersion {
  metadata: KeyMetadata;
  version: number;
  pruned: number[];
}

// Adds the next version and slides the window of kept versions (Vault's AddVersion): once
// `current - oldest >= limit`, versions oldest..current-limit go and oldest becomes the cut + 1.
export function addVersion(meta: KeyMetadata, createdTime: number, deletionTime: number | null, mountMax: number): AddedVersion {
  const next: KeyMetadata = structuredClone(meta);
  next.current_version += 1;
  next.versions[String(next.current_version)] = { created_time: createdTime, deletion_time: deletionTime, destroyed: false };
  next.updated_time = createdTime;
  const limit = effectiveMaxVersions(next.max_versions, mountMax);
  const pruned: number[] = [];
  if (next.current_version - next.oldest_version >= limit) {
    const cut = next.current_version - limit;
    for (let n = next.oldest_version; n <= cut; n++) {
      if (next.versions[String(n)] !== undefined) pruned.push(n);
      delete next.versions[String(n)];
    }
    next.oldest_version = cut + 1;
  }
  return { metadata: next, version: next.current_version, pruned };
}

// Whether a version reads as live, soft-deleted (deletion_time reached) or destroyed.
export function versionStatus(record: VersionRecord, now: number): VersionStatus {
  if (record.destroyed) return 'destroyed';
  if (record.deletion_time !== null && record.deletion_time <= now) return 'deleted';
  return 'live';
}

// custom_metadata on the wire: null when never set or empty.
export function renderCustomMetadata(custom: CustomMetadata | null): CustomMetadata | null {
  if (custom === null || Object.keys(custom).length === 0) return null;
  return Object.fromEntries(Object.entries(custom).sort(([a], [b]) => compareGoStrings(a, b)));
}

// One version's metadata in Vault's wire shape.
export function renderVersionMetadata(meta: KeyMetadata, version: number, record: VersionRecord): VersionMetadataWire {
  return {
    created_time: formatTimestamp(record.created_time),
    custom_metadata: renderCustomMetadata(meta.custom_metadata),
    deletion_time: formatOptionalTimestamp(record.deletion_time),
    destroyed: record.destroyed,
    version,
  };
}
