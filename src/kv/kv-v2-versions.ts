import { invalidRequest } from '../errors.js';
import { computeDeletionTime } from './deletion-time.js';
import { fieldValidationError } from './field-decode.js';
import { versionStatus } from './key-metadata.js';
import { loadConfig } from './kv-v2-config.js';
import { deleteVersionData, loadKeyMetadata, saveKeyMetadata } from './kv-v2-storage.js';
import type { KvScope } from './kv-scope.js';

// One element of a version list: an integer, or text holding one.
function versionNumber(item: unknown, index: number, whole: unknown): number {
  if (typeof item === 'number' && Number.isSafeInteger(item)) return item;
  const text = typeof item === 'number' ? String(item) : item;
  if (typeof text === 'string' && /^\s*[+-]?\d+\s*$/.test(text)) return Number(text.trim());
  throw fieldValidationError(
    'versions',
    whole,
    `cannot parse '[${index}]' as int: strconv.ParseInt: parsing ${JSON.stringify(String(text))}: invalid syntax`,
  );
}

// Parses `versions` as Vault's comma-int-slice fields do: an array of ints or numeric strings,
// a single int, or a comma-separated string (`"1,2"`). Missing or empty gives [].
export function parseVersions(raw: unknown): number[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (Array.isArray(raw)) return raw.map((item, i) => versionNumber(item, i, raw));
  if (typeof raw === 'string') return raw.split(',').map((item, i) => versionNumber(item, i, raw));
  return [versionNumber(raw, 0, raw)];
}

// Body of `delete/`, `undelete/` and `destroy/`.
export interface VersionsInput {
  versions?: unknown;
}

// Soft-deletes the listed versions (Vault `POST delete/<key>`); unknown, destroyed and
// already-deleted versions are skipped, a missing key is a no-op.
export function deleteVersions(scope: KvScope, key: string, input: VersionsInput, now: number): void {
  const versions = parseVersions(input.versions);
  if (versions.length === 0) throw invalidRequest('No version number provided');
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return;
  for (const version of versions) {
    const record = meta.versions[String(version)];
    if (record === undefined || versionStatus(record, now) !== 'live') continue;
    record.deletion_time = now;
  }
  saveKeyMetadata(scope, meta);
}

// Restores the listed versions (Vault `POST undelete/<key>`): clears deletion_time, or renews
// it to now + the effective delete_version_after when one is in force. Destroyed stay destroyed.
export function undeleteVersions(scope: KvScope, key: string, input: VersionsInput, now: number): void {
  const versions = parseVersions(input.versions);
  if (versions.length === 0) throw invalidRequest('No version number provided');
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return;
  const config = loadConfig(scope);
  for (const version of versions) {
    const record = meta.versions[String(version)];
    if (record === undefined || record.destroyed) continue;
    record.deletion_time = computeDeletionTime(now, config.delete_version_after, meta.delete_version_after);
  }
  saveKeyMetadata(scope, meta);
}

// Permanently removes the listed versions' data (Vault `POST destroy/<key>`); their metadata
// stays, marked destroyed, with deletion_time untouched.
export function destroyVersions(scope: KvScope, key: string, input: VersionsInput): void {
  const versions = parseVersions(input.versions);
  if (versions.length === 0) throw invalidRequest('no version number provided');
  const meta = loadKeyMetadata(scope, key);
  if (meta === undefined) return;
  for (const version of versions) {
    const record = meta.versions[String(version)];
    if (record === undefined || record.destroyed) continue;
    record.destroyed = true;
    deleteVersionData(scope, key, version);
  }
  saveKeyMetadata(scope, meta);
}
